package io.hivemesh.dht.internal;

import java.time.Duration;
import java.util.List;

/**
 * The DHT's tunables (from config PID {@code io.hivemesh.dht}).
 *
 * @param k bucket size and replication factor (20)
 * @param alpha lookup concurrency (10)
 * @param requestTimeout one request's time limit
 * @param queryTimeout a whole lookup's time limit
 * @param recordTtl records expire this long after they were received (36 h)
 * @param providerTtl provider entries expire this long after they were received (48 h)
 * @param republishInterval how often this node re-announces what it provides and put (22 h)
 * @param openNamespaces namespaces that accept any value up to {@code maxRecordBytes}
 * @param maxRecordBytes value size limit of open namespaces
 * @param maxRecords record store bound (records)
 * @param maxProviderKeys provider store bound (keys)
 * @param maxProvidersPerKey provider store bound (entries per key)
 * @param requestsPerSecond inbound requests per peer per second (token bucket rate; burst twice that)
 * @param maxRecordStoreBytes record store bound (key plus value bytes, summed; 64 MiB)
 * @param maxRecordsPerPeer records one remote peer may have stored on this node by PUT_VALUE (256)
 * @param maxBytesPerPeer record bytes one remote peer may have stored on this node by PUT_VALUE (2 MiB)
 */
public record DhtSettings(int k, int alpha, Duration requestTimeout, Duration queryTimeout, Duration recordTtl,
                          Duration providerTtl, Duration republishInterval, List<String> openNamespaces,
                          int maxRecordBytes, int maxRecords, int maxProviderKeys, int maxProvidersPerKey,
                          int requestsPerSecond, long maxRecordStoreBytes, int maxRecordsPerPeer, long maxBytesPerPeer) {
    public static final long DEFAULT_MAX_RECORD_STORE_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_RECORDS_PER_PEER = 256;
    public static final long DEFAULT_MAX_BYTES_PER_PEER = 2L * 1024 * 1024;

    public DhtSettings {
        if (k < 1 || alpha < 1 || maxRecordBytes < 1 || maxRecords < 1 || maxProviderKeys < 1
                || maxProvidersPerKey < 1 || requestsPerSecond < 1 || maxRecordStoreBytes < 1 || maxRecordsPerPeer < 1
                || maxBytesPerPeer < 1) {
            throw new IllegalArgumentException("DHT sizes and limits must be positive");
        }
        for (Duration d : List.of(requestTimeout, queryTimeout, recordTtl, providerTtl, republishInterval)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("DHT durations must be positive, not " + d);
            }
        }
        openNamespaces = List.copyOf(openNamespaces);
    }

    /** Settings with the default record-store byte budget and per-peer quotas. */
    public DhtSettings(int k, int alpha, Duration requestTimeout, Duration queryTimeout, Duration recordTtl,
                       Duration providerTtl, Duration republishInterval, List<String> openNamespaces,
                       int maxRecordBytes, int maxRecords, int maxProviderKeys, int maxProvidersPerKey,
                       int requestsPerSecond) {
        this(k, alpha, requestTimeout, queryTimeout, recordTtl, providerTtl, republishInterval, openNamespaces,
                maxRecordBytes, maxRecords, maxProviderKeys, maxProvidersPerKey, requestsPerSecond,
                DEFAULT_MAX_RECORD_STORE_BYTES, DEFAULT_MAX_RECORDS_PER_PEER, DEFAULT_MAX_BYTES_PER_PEER);
    }

    /** The defaults of the spec, js-libp2p and Kubo. */
    public static DhtSettings defaults() {
        return new DhtSettings(20, 10, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofHours(36),
                Duration.ofHours(48), Duration.ofHours(22), List.of("mesh"), 64 * 1024, 16_384, 16_384, 64, 50);
    }

    /** These settings with other per-peer quotas (tests, simulations). */
    public DhtSettings withPeerQuota(int records, long bytes) {
        return new DhtSettings(k, alpha, requestTimeout, queryTimeout, recordTtl, providerTtl, republishInterval,
                openNamespaces, maxRecordBytes, maxRecords, maxProviderKeys, maxProvidersPerKey, requestsPerSecond,
                maxRecordStoreBytes, records, bytes);
    }

    /** The per-peer quota of the record store. */
    public RecordStore.Quota peerQuota() {
        return new RecordStore.Quota(maxRecordsPerPeer, maxBytesPerPeer);
    }
}
