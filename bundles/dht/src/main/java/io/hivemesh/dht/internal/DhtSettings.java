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
 * @param maxRecords record store bound
 * @param maxProviderKeys provider store bound (keys)
 * @param maxProvidersPerKey provider store bound (entries per key)
 * @param requestsPerSecond inbound requests per peer per second (token bucket rate; burst twice that)
 */
public record DhtSettings(int k, int alpha, Duration requestTimeout, Duration queryTimeout, Duration recordTtl,
                          Duration providerTtl, Duration republishInterval, List<String> openNamespaces,
                          int maxRecordBytes, int maxRecords, int maxProviderKeys, int maxProvidersPerKey,
                          int requestsPerSecond) {

    public DhtSettings {
        if (k < 1 || alpha < 1 || maxRecordBytes < 1 || maxRecords < 1 || maxProviderKeys < 1
                || maxProvidersPerKey < 1 || requestsPerSecond < 1) {
            throw new IllegalArgumentException("DHT sizes and limits must be positive");
        }
        for (Duration d : List.of(requestTimeout, queryTimeout, recordTtl, providerTtl, republishInterval)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("DHT durations must be positive, not " + d);
            }
        }
        openNamespaces = List.copyOf(openNamespaces);
    }

    /** The defaults of the spec, js-libp2p and Kubo. */
    public static DhtSettings defaults() {
        return new DhtSettings(20, 10, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofHours(36),
                Duration.ofHours(48), Duration.ofHours(22), List.of("mesh"), 64 * 1024, 16_384, 16_384, 64, 50);
    }
}
