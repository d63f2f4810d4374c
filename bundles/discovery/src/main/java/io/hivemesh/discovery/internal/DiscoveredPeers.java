package io.hivemesh.discovery.internal;

import io.hivemesh.api.discovery.DiscoveredPeer;
import io.hivemesh.api.discovery.DiscoverySource;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The bounded set of peers discovery found: per peer the first source and time (a
 * {@link DiscoverySource#CONNECTION} entry takes the source of the first discovery report after it:
 * the connection event of a dial can overtake the report of what found the peer), the last time any
 * source reported it, and up to {@link #MAX_ADDRESSES} addresses (newest kept). Full, it forgets the
 * least recently reported unconnected peer; if every peer is connected, the new one is not kept.
 * Thread-safe.
 */
public final class DiscoveredPeers {
    public static final int MAX_ADDRESSES = 16;
    private final int capacity;
    private final Map<PeerId, Entry> entries = new HashMap<>();

    private static final class Entry {
        DiscoverySource source;
        final Instant firstSeen;
        Instant lastSeen;
        final LinkedHashSet<Multiaddr> addresses = new LinkedHashSet<>();

        Entry(DiscoverySource source, Instant firstSeen) {
            this.source = source;
            this.firstSeen = firstSeen;
            this.lastSeen = firstSeen;
        }
    }

    public DiscoveredPeers(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    /**
     * Records a report; returns whether the peer was new.
     *
     * @param connected which peers are connected now (never evicted)
     */
    public synchronized boolean report(PeerId peer, List<Multiaddr> addresses, DiscoverySource source, Instant now,
            Predicate<PeerId> connected) {
        Entry e = entries.get(peer);
        boolean fresh = e == null;
        if (fresh) {
            if (entries.size() >= capacity && !evictOne(connected)) {
                return false;
            }
            e = new Entry(source, now);
            entries.put(peer, e);
        }
        e.lastSeen = now;
        if (e.source == DiscoverySource.CONNECTION && source != DiscoverySource.CONNECTION) {
            e.source = source; // the connection event of a dial may come before the report of what found it
        }
        for (Multiaddr a : addresses) {
            e.addresses.remove(a);
            e.addresses.add(a);
            if (e.addresses.size() > MAX_ADDRESSES) {
                e.addresses.remove(e.addresses.iterator().next());
            }
        }
        return fresh;
    }

    private boolean evictOne(Predicate<PeerId> connected) {
        PeerId oldest = entries.entrySet().stream().filter(x -> !connected.test(x.getKey()))
                .min(Comparator.comparing(x -> x.getValue().lastSeen)).map(Map.Entry::getKey).orElse(null);
        if (oldest == null) {
            return false;
        }
        entries.remove(oldest);
        return true;
    }

    /** A snapshot, oldest first, with {@code connected} as now. */
    public synchronized List<DiscoveredPeer> snapshot(Predicate<PeerId> connected) {
        List<DiscoveredPeer> out = new ArrayList<>();
        entries.forEach((p, e) -> out.add(new DiscoveredPeer(p, e.source, e.firstSeen, e.lastSeen,
                new ArrayList<>(e.addresses), connected.test(p))));
        out.sort(Comparator.comparing(DiscoveredPeer::firstSeen));
        return out;
    }

    /** The peers known, most recently reported first. */
    public synchronized List<PeerId> byRecency() {
        return entries.entrySet().stream().sorted(Comparator.comparing((Map.Entry<PeerId, Entry> x) -> x.getValue().lastSeen).reversed())
                .map(Map.Entry::getKey).toList();
    }

    /** How {@code peer} was found, if it is listed. */
    public synchronized java.util.Optional<DiscoverySource> source(PeerId peer) {
        Entry e = entries.get(peer);
        return e == null ? java.util.Optional.empty() : java.util.Optional.of(e.source);
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized Set<PeerId> peers() {
        return Set.copyOf(entries.keySet());
    }
}
