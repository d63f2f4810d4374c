package io.hivemesh.dht.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemesh.dht.internal.proto.DhtProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records this node holds, one file per key ({@code <hex sha-256 of key>.rec}, the wire
 * {@code Record} protobuf with {@code timeReceived}) written atomically, indexed in memory. A record
 * older than the time-to-live is gone: never returned, and deleted by {@link #expire()}. Bounded:
 * at most {@code maxRecords} keys (a new key beyond that is refused; replacing a key is allowed).
 * Thread-safe (synchronised; disk writes are small).
 */
public final class RecordStore {
    private static final Logger LOG = LoggerFactory.getLogger(RecordStore.class);
    private static final String SUFFIX = ".rec";

    /** A stored record. */
    public record Stored(byte[] key, byte[] value, Instant received) {
    }

    private final Path dir;
    private final Clock clock;
    private final Duration ttl;
    private final int maxRecords;
    private final Map<KadId, Stored> index = new HashMap<>();

    public RecordStore(Path dir, Clock clock, Duration ttl, int maxRecords) {
        this.dir = dir;
        this.clock = clock;
        this.ttl = ttl;
        this.maxRecords = maxRecords;
        load();
    }

    private void load() {
        try {
            for (Path f : AtomicFiles.committed(dir, SUFFIX)) {
                String name = f.getFileName().toString();
                try {
                    DhtProto.Record r = DhtProto.Record.parseFrom(Files.readAllBytes(f));
                    Stored s = new Stored(r.getKey().toByteArray(), r.getValue().toByteArray(),
                            Instant.parse(r.getTimeReceived()));
                    if (!fileName(s.key()).equals(name)) {
                        LOG.warn("DHT record file {} holds another key; ignored", f);
                        continue;
                    }
                    index.put(KadId.of(s.key()), s);
                } catch (InvalidProtocolBufferException | DateTimeParseException e) {
                    LOG.warn("DHT record file {} is unreadable ({}); ignored", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the DHT record store " + dir + ": " + e.getMessage(), e);
        }
        expire();
    }

    private static String fileName(byte[] key) {
        return KadId.of(key) + SUFFIX;
    }

    /**
     * Stores (or replaces) a validated record received now.
     *
     * @return the stored record
     * @throws IllegalStateException if the store is full and the key is new
     * @throws UncheckedIOException if the file cannot be written (nothing changes then)
     */
    public synchronized Stored put(byte[] key, byte[] value) {
        KadId id = KadId.of(key);
        if (!index.containsKey(id) && index.size() >= maxRecords) {
            expire();
            if (index.size() >= maxRecords) {
                throw new IllegalStateException("DHT record store is full (" + maxRecords + " records)");
            }
        }
        Stored s = new Stored(key.clone(), value.clone(), clock.instant());
        byte[] bytes = DhtProto.Record.newBuilder().setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(value))
                .setTimeReceived(s.received().toString()).build().toByteArray();
        try {
            AtomicFiles.write(dir.resolve(fileName(key)), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write DHT record " + id + ": " + e.getMessage(), e);
        }
        index.put(id, s);
        return s;
    }

    /** Every live record. */
    public synchronized List<Stored> all() {
        Instant now = clock.instant();
        List<Stored> live = new ArrayList<>();
        for (Stored s : index.values()) {
            if (!expired(s, now)) {
                live.add(s);
            }
        }
        return live;
    }

    /** The live record of {@code key}, if any. */
    public synchronized Optional<Stored> get(byte[] key) {
        Stored s = index.get(KadId.of(key));
        if (s == null || !Arrays.equals(s.key(), key) || expired(s, clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    private boolean expired(Stored s, Instant now) {
        return !s.received().plus(ttl).isAfter(now);
    }

    /** Deletes every expired record; returns how many. */
    public synchronized int expire() {
        Instant now = clock.instant();
        int n = 0;
        for (Iterator<Map.Entry<KadId, Stored>> it = index.entrySet().iterator(); it.hasNext();) {
            Map.Entry<KadId, Stored> e = it.next();
            if (expired(e.getValue(), now)) {
                try {
                    AtomicFiles.delete(dir.resolve(e.getKey() + SUFFIX));
                } catch (IOException ex) {
                    LOG.warn("cannot delete expired DHT record {}: {}", e.getKey(), ex.getMessage());
                    continue;
                }
                it.remove();
                n++;
            }
        }
        return n;
    }

    public synchronized int size() {
        return index.size();
    }
}
