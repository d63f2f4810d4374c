package io.hivemesh.dht.internal;

import io.hivemesh.api.peer.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The Kademlia routing table, sans I/O: 256 k-buckets indexed by the common-prefix length of a
 * peer's {@link KadId} with ours. The caller admits only peers that speak the DHT protocol and
 * answered (the table trusts {@link #offer}); when a bucket is full the least-recently-seen peer must
 * be pinged: if it answers it stays and the newcomer is dropped, if not it is evicted and the
 * newcomer takes its place (the original Kademlia rule, which favours long-lived peers). Not
 * thread-safe: the owner serialises calls. Time is an input ({@code nowNanos}).
 */
public final class RoutingTable {
    /** What {@link #offer} did. */
    public enum Outcome {
        /** The peer entered a bucket. */
        ADDED,
        /** The peer was already there; it is now the most recently seen of its bucket. */
        REFRESHED,
        /** The bucket is full: ping {@link Offer#toPing()}, then call {@link #pingResult}. */
        PING_OLDEST,
        /** The bucket is full and an eviction check for it is already pending: the peer is dropped. */
        DROPPED,
        /** Our own id: never stored. */
        SELF
    }

    /** The outcome of an offer; {@code toPing} is set only for {@link Outcome#PING_OLDEST}. */
    public record Offer(Outcome outcome, PeerId toPing) {
    }

    /** A peer in a bucket, for display. */
    public record Entry(PeerId peer, long lastSeenNanos) {
    }

    /** The deepest bucket refreshed with a random key (as go-libp2p-kad-dht: 15). */
    public static final int MAX_REFRESH_CPL = 15;

    private final PeerId self;
    private final KadId selfId;
    private final int k;
    private final List<LinkedHashMap<PeerId, Long>> buckets = new ArrayList<>(KadId.BITS);
    /** Bucket index to the candidate waiting for the result of an eviction ping. */
    private final Map<Integer, PeerId> pending = new HashMap<>();
    private final Map<PeerId, KadId> ids = new HashMap<>();
    private final long[] lastLookup = new long[KadId.BITS];

    public RoutingTable(PeerId self, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("bucket size k must be at least 1, not " + k);
        }
        this.self = self;
        this.selfId = KadId.of(self);
        this.k = k;
        for (int i = 0; i < KadId.BITS; i++) {
            buckets.add(new LinkedHashMap<>());
        }
    }

    public PeerId self() {
        return self;
    }

    public int bucketSize() {
        return k;
    }

    /** The bucket a peer belongs in: the common-prefix length of its id with ours (0..255). */
    public int bucketIndex(PeerId peer) {
        return selfId.commonPrefixLength(idOf(peer));
    }

    /** Offers a verified peer (it speaks the protocol and answered) seen at {@code nowNanos}. */
    public Offer offer(PeerId peer, long nowNanos) {
        if (peer.equals(self)) {
            return new Offer(Outcome.SELF, null);
        }
        int index = bucketIndex(peer);
        LinkedHashMap<PeerId, Long> bucket = buckets.get(index);
        if (bucket.remove(peer) != null) {
            bucket.put(peer, nowNanos);
            return new Offer(Outcome.REFRESHED, null);
        }
        if (bucket.size() < k) {
            bucket.put(peer, nowNanos);
            ids.computeIfAbsent(peer, KadId::of);
            return new Offer(Outcome.ADDED, null);
        }
        if (pending.containsKey(index)) {
            return new Offer(Outcome.DROPPED, null);
        }
        pending.put(index, peer);
        return new Offer(Outcome.PING_OLDEST, bucket.keySet().iterator().next());
    }

    /**
     * The result of the eviction ping asked for by {@link Outcome#PING_OLDEST}.
     *
     * @return the peer that entered the table (the waiting candidate) when {@code oldest} did not
     *         answer; empty when it answered and the candidate was dropped
     */
    public Optional<PeerId> pingResult(PeerId oldest, boolean answered, long nowNanos) {
        int index = bucketIndex(oldest);
        PeerId candidate = pending.remove(index);
        LinkedHashMap<PeerId, Long> bucket = buckets.get(index);
        if (answered) {
            if (bucket.remove(oldest) != null) {
                bucket.put(oldest, nowNanos);
            }
            return Optional.empty();
        }
        remove(oldest);
        if (candidate != null && bucket.size() < k && !bucket.containsKey(candidate)) {
            bucket.put(candidate, nowNanos);
            ids.computeIfAbsent(candidate, KadId::of);
            return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** Removes a peer (it stopped answering or left); true if it was there. */
    public boolean remove(PeerId peer) {
        if (peer.equals(self)) {
            return false;
        }
        boolean removed = buckets.get(bucketIndex(peer)).remove(peer) != null;
        if (removed) {
            ids.remove(peer);
        }
        return removed;
    }

    public boolean contains(PeerId peer) {
        return !peer.equals(self) && buckets.get(bucketIndex(peer)).containsKey(peer);
    }

    public int size() {
        int n = 0;
        for (LinkedHashMap<PeerId, Long> b : buckets) {
            n += b.size();
        }
        return n;
    }

    /** Up to {@code count} peers of the table closest to {@code target}, closest first. */
    public List<PeerId> closest(KadId target, int count) {
        List<PeerId> all = new ArrayList<>(size());
        for (LinkedHashMap<PeerId, Long> b : buckets) {
            all.addAll(b.keySet());
        }
        Comparator<KadId> byDistance = target.byDistance();
        all.sort((a, b) -> byDistance.compare(idOf(a), idOf(b)));
        return all.size() > count ? new ArrayList<>(all.subList(0, count)) : all;
    }

    /** Every peer, bucket by bucket (non-empty buckets only), least recently seen first. */
    public Map<Integer, List<Entry>> buckets() {
        Map<Integer, List<Entry>> out = new LinkedHashMap<>();
        for (int i = 0; i < KadId.BITS; i++) {
            if (!buckets.get(i).isEmpty()) {
                List<Entry> entries = new ArrayList<>();
                buckets.get(i).forEach((p, t) -> entries.add(new Entry(p, t)));
                out.put(i, entries);
            }
        }
        return out;
    }

    /** Records that a lookup for a key in bucket {@code index}'s range ran at {@code nowNanos}. */
    public void lookedUp(KadId key, long nowNanos) {
        int index = Math.min(selfId.commonPrefixLength(key), KadId.BITS - 1);
        lastLookup[index] = nowNanos;
    }

    /**
     * Buckets to refresh: every bucket index up to the deepest non-empty one (deeper buckets hold no
     * peers to find), at most {@link #MAX_REFRESH_CPL}, that has not seen a lookup within {@code intervalNanos}.
     */
    public List<Integer> bucketsToRefresh(long nowNanos, long intervalNanos) {
        int deepest = -1;
        for (int i = KadId.BITS - 1; i >= 0; i--) {
            if (!buckets.get(i).isEmpty()) {
                deepest = i;
                break;
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i <= Math.min(deepest, MAX_REFRESH_CPL); i++) {
            if (nowNanos - lastLookup[i] >= intervalNanos) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * Random key bytes (as sent in a refresh FIND_NODE) whose SHA-256 point has a common-prefix
     * length of exactly {@code index} with our id. Found by trial (about 2^(index+1) hashes), hence
     * the limit of {@link #MAX_REFRESH_CPL}.
     */
    public byte[] randomKeyInBucket(int index, Random random) {
        if (index < 0 || index > MAX_REFRESH_CPL) {
            throw new IllegalArgumentException("refresh bucket index must be 0.." + MAX_REFRESH_CPL + ", not " + index);
        }
        byte[] key = new byte[KadId.BYTES];
        while (true) {
            random.nextBytes(key);
            if (selfId.commonPrefixLength(KadId.of(key)) == index) {
                return key;
            }
        }
    }

    private KadId idOf(PeerId peer) {
        KadId id = ids.get(peer);
        return id != null ? id : KadId.of(peer);
    }
}
