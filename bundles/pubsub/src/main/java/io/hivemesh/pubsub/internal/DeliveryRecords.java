package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * What {@link PeerScore} remembers per message id: when the first copy arrived, what validation
 * decided and which peers sent a copy (each counted once). Bounded: a record lives for the seen TTL
 * and at most {@code maxRecords} are kept (the oldest go first). Not thread-safe.
 */
final class DeliveryRecords {

    /** What validation decided about a message. */
    enum Status {
        /** Still being validated. */
        UNKNOWN,
        /** Accepted. */
        VALID,
        /** Rejected by a validator: every sender is penalised. */
        INVALID,
        /** Ignored (validator IGNORE, timeout, throttled): nobody is rewarded or penalised. */
        IGNORED
    }

    /** One message's record. */
    static final class Record {
        final long firstSeen;
        Status status = Status.UNKNOWN;
        /** When it was accepted; {@link Long#MIN_VALUE} until then. */
        long validatedAt = Long.MIN_VALUE;
        /** Every peer that sent a copy, the first sender included. */
        final List<PeerId> peers = new ArrayList<>(4);

        Record(long firstSeen) {
            this.firstSeen = firstSeen;
        }

        /** Adds {@code peer}; false when it had already sent a copy. */
        boolean addPeer(PeerId peer) {
            if (peers.contains(peer)) {
                return false;
            }
            peers.add(peer);
            return true;
        }
    }

    private final long ttlMillis;
    private final int maxRecords;
    // insertion order is first-seen order: the eldest entry expires first
    private final LinkedHashMap<Key, Record> records = new LinkedHashMap<>();

    DeliveryRecords(long ttlMillis, int maxRecords) {
        if (ttlMillis <= 0 || maxRecords <= 0) {
            throw new IllegalArgumentException("delivery records: need ttl > 0 and maxRecords > 0, got "
                    + ttlMillis + " ms, " + maxRecords);
        }
        this.ttlMillis = ttlMillis;
        this.maxRecords = maxRecords;
    }

    /** The record for {@code id}, or null. */
    Record get(byte[] id) {
        return records.get(new Key(id));
    }

    /** The record for {@code id}, created (first seen {@code now}) when absent. */
    Record getOrCreate(byte[] id, long now) {
        Key key = new Key(id);
        Record r = records.get(key);
        if (r == null) {
            expire(now);
            if (records.size() >= maxRecords) {
                Iterator<Record> it = records.values().iterator();
                it.next();
                it.remove();
            }
            r = new Record(now);
            records.put(new Key(id.clone()), r);
        }
        return r;
    }

    /** Drops the records first seen a TTL or more before {@code now}. */
    void expire(long now) {
        Iterator<Record> it = records.values().iterator();
        while (it.hasNext()) {
            Record r = it.next();
            if (now - r.firstSeen < ttlMillis) {
                return;
            }
            it.remove();
        }
    }

    int size() {
        return records.size();
    }

    /** A message id as a map key (equality by content). */
    private static final class Key {
        private final byte[] id;
        private final int hash;

        Key(byte[] id) {
            this.id = id;
            this.hash = Arrays.hashCode(id);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.id, id);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    @Override
    public String toString() {
        return "DeliveryRecords[" + records.size() + "/" + maxRecords + ", ttl " + ttlMillis + " ms]";
    }
}
