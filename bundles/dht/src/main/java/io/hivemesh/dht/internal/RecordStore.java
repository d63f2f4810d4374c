package io.hivemesh.dht.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.dht.internal.proto.DhtProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records this node holds, one file per key ({@code <hex sha-256 of key>.rec}: a
 * {@code StoredRecord} protobuf, the wire {@code Record} with {@code timeReceived} plus the peer that
 * stored it; files holding a plain {@code Record}, the older format, are still read) written
 * atomically. The in-memory index holds only metadata ({@link Meta}); {@link #get} reads the value
 * from its file. A record older than the time-to-live is gone: never returned, and deleted by
 * {@link #expire()}.
 *
 * <p>Bounded: at most {@code maxRecords} keys and {@code maxBytes} record bytes (key plus value
 * length, summed over the records; keys count because they stay in memory). A put that would cross
 * either bound is refused ({@link IllegalStateException} naming the bound); replacing a key within
 * the bounds is allowed. A put may also carry the uploading peer and a {@link Quota}: the records
 * attributed to that peer (whatever their namespace) must stay within it; replacing a record of the
 * same uploader accounts only the difference, replacing another's moves the record to the new
 * uploader.
 *
 * <p>Thread-safe. Writes happen under the store's lock (they are small); reads of values and the
 * deletions of {@link #expire()} happen outside it. A put of a key whose file is being deleted waits
 * for that deletion, then writes, so the put wins.
 */
public final class RecordStore {
    private static final Logger LOG = LoggerFactory.getLogger(RecordStore.class);
    private static final String SUFFIX = ".rec";

    /**
     * A stored record, value included.
     *
     * @param from the peer that stored it; null: this node (or a file of the older format)
     */
    public record Stored(byte[] key, byte[] value, Instant received, PeerId from) {
    }

    /** What the index keeps of a record: everything but the value. {@code from} as in {@link Stored}. */
    public record Meta(byte[] key, int valueLength, Instant received, PeerId from) {
        long bytes() {
            return (long) key.length + valueLength;
        }
    }

    /** The most records and record bytes one uploading peer may hold in the store. */
    public record Quota(int maxRecords, long maxBytes) {
    }

    /** What one uploading peer holds: records and record bytes. */
    public record Usage(int records, long bytes) {
        static final Usage NONE = new Usage(0, 0);

        Usage plus(int r, long b) {
            return new Usage(records + r, bytes + b);
        }
    }

    private final Path dir;
    private final Clock clock;
    private final Duration ttl;
    private final int maxRecords;
    private final long maxBytes;
    private final Map<KadId, Meta> index = new HashMap<>();
    private final Map<PeerId, Usage> usage = new HashMap<>();
    /** Keys whose file {@link #expire()} is deleting outside the lock; a put of one waits. */
    private final Set<KadId> deleting = new HashSet<>();
    private long totalBytes;

    /** A store bounded by record count only. */
    public RecordStore(Path dir, Clock clock, Duration ttl, int maxRecords) {
        this(dir, clock, ttl, maxRecords, Long.MAX_VALUE);
    }

    /**
     * Opens (or creates) the store in {@code dir}, loading its files; unreadable ones are skipped with
     * a warning.
     */
    public RecordStore(Path dir, Clock clock, Duration ttl, int maxRecords, long maxBytes) {
        if (maxRecords < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("record store bounds must be positive");
        }
        this.dir = dir;
        this.clock = clock;
        this.ttl = ttl;
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        load();
    }

    private void load() {
        try {
            for (Path f : AtomicFiles.committed(dir, SUFFIX)) {
                String name = f.getFileName().toString();
                try {
                    Stored s = decode(Files.readAllBytes(f));
                    if (!fileName(s.key()).equals(name)) {
                        LOG.warn("DHT record file {} holds another key; ignored", f);
                        continue;
                    }
                    synchronized (this) {
                        account(KadId.of(s.key()), new Meta(s.key(), s.value().length, s.received(), s.from()));
                    }
                } catch (InvalidProtocolBufferException | DateTimeParseException | MultiformatException e) {
                    LOG.warn("DHT record file {} is unreadable ({}); ignored", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the DHT record store " + dir + ": " + e.getMessage(), e);
        }
        expire();
    }

    /** Parses a record file of either format. */
    private static Stored decode(byte[] bytes) throws InvalidProtocolBufferException {
        DhtProto.StoredRecord sr = DhtProto.StoredRecord.parseFrom(bytes);
        DhtProto.Record r = sr.hasRecord() ? sr.getRecord() : DhtProto.Record.parseFrom(bytes);
        PeerId from = sr.getFrom().isEmpty() ? null : PeerId.fromBytes(sr.getFrom().toByteArray());
        return new Stored(r.getKey().toByteArray(), r.getValue().toByteArray(), Instant.parse(r.getTimeReceived()), from);
    }

    private static byte[] encode(Stored s) {
        DhtProto.StoredRecord.Builder b = DhtProto.StoredRecord.newBuilder().setRecord(DhtProto.Record.newBuilder()
                .setKey(ByteString.copyFrom(s.key())).setValue(ByteString.copyFrom(s.value()))
                .setTimeReceived(s.received().toString()));
        if (s.from() != null) {
            b.setFrom(ByteString.copyFrom(s.from().toBytes()));
        }
        return b.build().toByteArray();
    }

    private static String fileName(byte[] key) {
        return KadId.of(key) + SUFFIX;
    }

    /** Stores (or replaces) a record of this node's own, received now; bounded by the store's bounds only. */
    public Stored put(byte[] key, byte[] value) {
        return put(key, value, null, null);
    }

    /**
     * Stores (or replaces) a validated record received now from {@code from}.
     *
     * @param from the uploading peer; null: this node
     * @param quota the uploader's bound; null: none (ignored when {@code from} is null)
     * @return the stored record
     * @throws IllegalStateException naming the bound or quota the put would cross (nothing changes then)
     * @throws UncheckedIOException if the file cannot be written (nothing changes then)
     */
    public Stored put(byte[] key, byte[] value, PeerId from, Quota quota) {
        KadId id = KadId.of(key);
        List<KadId> expired = new ArrayList<>();
        try {
            synchronized (this) {
                awaitNotDeleting(id);
                String over = overBound(id, key, value, from, quota);
                if (over != null) {
                    expired.addAll(dropExpired());
                    if (expired.remove(id)) {
                        deleting.remove(id); // the write below replaces that file
                    }
                    over = overBound(id, key, value, from, quota);
                    if (over != null) {
                        throw new IllegalStateException(over);
                    }
                }
                Stored s = new Stored(key.clone(), value.clone(), clock.instant(), from);
                try {
                    AtomicFiles.write(dir.resolve(fileName(key)), encode(s));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write DHT record " + id + ": " + e.getMessage(), e);
                }
                unaccount(id);
                account(id, new Meta(s.key(), value.length, s.received(), from));
                return s;
            }
        } finally {
            delete(expired);
        }
    }

    /**
     * Deletes the record of {@code key} now, live or expired (for the small stores of this node's own
     * puts and provides); the file goes before the index entry.
     *
     * @return whether the store held a record of that key
     * @throws UncheckedIOException if the file cannot be deleted (nothing changes then)
     */
    public synchronized boolean remove(byte[] key) {
        KadId id = KadId.of(key);
        awaitNotDeleting(id);
        Meta m = index.get(id);
        if (m == null || !Arrays.equals(m.key(), key)) {
            return false;
        }
        try {
            AtomicFiles.delete(dir.resolve(fileName(key)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete DHT record " + id + ": " + e.getMessage(), e);
        }
        unaccount(id);
        return true;
    }

    private void awaitNotDeleting(KadId id) {
        while (deleting.contains(id)) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the deletion of DHT record " + id, e);
            }
        }
    }

    /** Why the put would cross a bound, or null. Holds the lock. */
    private String overBound(KadId id, byte[] key, byte[] value, PeerId from, Quota quota) {
        Meta old = index.get(id);
        long bytes = (long) key.length + value.length;
        long oldBytes = old == null ? 0 : old.bytes();
        if (old == null && index.size() >= maxRecords) {
            return "DHT record store is full: " + index.size() + " records (max_records " + maxRecords + ")";
        }
        if (totalBytes - oldBytes + bytes > maxBytes) {
            return "DHT record store is full: " + totalBytes + " record bytes held, " + bytes
                    + " more would exceed max_record_store_bytes " + maxBytes;
        }
        if (from != null && quota != null) {
            boolean same = old != null && from.equals(old.from());
            Usage u = usage.getOrDefault(from, Usage.NONE).plus(same ? 0 : 1, bytes - (same ? oldBytes : 0));
            if (u.records() > quota.maxRecords()) {
                return "peer " + from + " would hold " + u.records() + " records here, above max_records_per_peer "
                        + quota.maxRecords();
            }
            if (u.bytes() > quota.maxBytes()) {
                return "peer " + from + " would hold " + u.bytes() + " record bytes here, above max_bytes_per_peer "
                        + quota.maxBytes();
            }
        }
        return null;
    }

    /** Adds an entry to the index and the accounting. Holds the lock. */
    private void account(KadId id, Meta m) {
        index.put(id, m);
        totalBytes += m.bytes();
        if (m.from() != null) {
            usage.merge(m.from(), new Usage(1, m.bytes()), (a, b) -> a.plus(b.records(), b.bytes()));
        }
    }

    /** Removes an entry from the index and the accounting, if present. Holds the lock. */
    private void unaccount(KadId id) {
        Meta m = index.remove(id);
        if (m == null) {
            return;
        }
        totalBytes -= m.bytes();
        if (m.from() != null) {
            Usage u = usage.get(m.from()).plus(-1, -m.bytes());
            if (u.records() == 0) {
                usage.remove(m.from());
            } else {
                usage.put(m.from(), u);
            }
        }
    }

    /** Metadata of every live record. */
    public synchronized List<Meta> entries() {
        Instant now = clock.instant();
        List<Meta> live = new ArrayList<>();
        for (Meta m : index.values()) {
            if (!expired(m, now)) {
                live.add(m);
            }
        }
        return live;
    }

    /** Every live record, values read from disk (for the small stores of this node's own puts). */
    public List<Stored> all() {
        List<Stored> out = new ArrayList<>();
        for (Meta m : entries()) {
            get(m.key()).ifPresent(out::add);
        }
        return out;
    }

    /**
     * The live record of {@code key}, if any, its value read from disk. A file that cannot be read is
     * logged and counts as absent.
     */
    public Optional<Stored> get(byte[] key) {
        KadId id = KadId.of(key);
        synchronized (this) {
            Meta m = index.get(id);
            if (m == null || !Arrays.equals(m.key(), key) || expired(m, clock.instant())) {
                return Optional.empty();
            }
        }
        Stored s;
        try {
            s = decode(Files.readAllBytes(dir.resolve(fileName(key))));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // expired and deleted meanwhile
        } catch (IOException | DateTimeParseException | MultiformatException e) {
            LOG.warn("cannot read DHT record {}: {}", id, e.getMessage());
            return Optional.empty();
        }
        if (!Arrays.equals(s.key(), key) || !s.received().plus(ttl).isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** The metadata of the live record of {@code key}, if any (no disk access). */
    public synchronized Optional<Meta> meta(byte[] key) {
        Meta m = index.get(KadId.of(key));
        if (m == null || !Arrays.equals(m.key(), key) || expired(m, clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(m);
    }

    private boolean expired(Meta m, Instant now) {
        return !m.received().plus(ttl).isAfter(now);
    }

    /**
     * Deletes every expired record; returns how many files were deleted. The expired records leave
     * the index under the lock; their files are deleted after it is released.
     */
    public int expire() {
        List<KadId> doomed;
        synchronized (this) {
            doomed = dropExpired();
        }
        return delete(doomed);
    }

    /** Removes the expired records from the index and marks them as being deleted. Holds the lock. */
    private List<KadId> dropExpired() {
        Instant now = clock.instant();
        List<KadId> doomed = new ArrayList<>();
        for (Iterator<Map.Entry<KadId, Meta>> it = index.entrySet().iterator(); it.hasNext();) {
            Map.Entry<KadId, Meta> e = it.next();
            if (expired(e.getValue(), now)) {
                doomed.add(e.getKey());
            }
        }
        for (KadId id : doomed) {
            unaccount(id);
            deleting.add(id);
        }
        return doomed;
    }

    /** Deletes the files of records dropped by {@link #dropExpired()}; must not hold the lock. */
    private int delete(List<KadId> doomed) {
        int n = 0;
        for (KadId id : doomed) {
            try {
                AtomicFiles.delete(dir.resolve(id + SUFFIX));
                n++;
            } catch (IOException ex) {
                LOG.warn("cannot delete expired DHT record {} (it is dropped until the next restart): {}", id, ex.getMessage());
            } finally {
                synchronized (this) {
                    deleting.remove(id);
                    notifyAll();
                }
            }
        }
        return n;
    }

    /** Number of records in the index (expired ones included until {@link #expire()}). */
    public synchronized int size() {
        return index.size();
    }

    /** Record bytes (key plus value lengths) held. */
    public synchronized long bytes() {
        return totalBytes;
    }

    /** What the records attributed to {@code peer} amount to. */
    public synchronized Usage usage(PeerId peer) {
        return usage.getOrDefault(peer, Usage.NONE);
    }
}
