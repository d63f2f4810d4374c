package io.hivemesh.transport.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.PeerStore;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * In-memory {@link PeerStore}: addresses with expiry, protocols, public keys and an exponential
 * moving average of latency (weight 0.2 for the new sample). Bounded: at most
 * {@code maxAddressesPerPeer} addresses and {@code maxProtocols} protocols per peer. Thread-safe.
 */
final class MemoryPeerStore implements PeerStore {
    private static final int MAX_ADDRESSES = 64;
    private static final int MAX_PROTOCOLS = 256;

    private static final class Entry {
        final Map<Multiaddr, Long> addresses = new LinkedHashMap<>();
        Set<String> protocols = Set.of();
        PublicKey key;
        Duration latency;
    }

    private final Map<PeerId, Entry> peers = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    MemoryPeerStore(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    private Entry entry(PeerId peer) {
        return peers.computeIfAbsent(peer, p -> new Entry());
    }

    @Override
    public void addAddresses(PeerId peer, Collection<Multiaddr> addresses, Duration ttl) {
        long until = clock.getAsLong() + ttl.toNanos();
        Entry e = entry(peer);
        synchronized (e) {
            for (Multiaddr a : addresses) {
                Multiaddr plain = a.withoutPeerId();
                e.addresses.merge(plain, until, Math::max);
            }
            while (e.addresses.size() > MAX_ADDRESSES) {
                e.addresses.remove(e.addresses.keySet().iterator().next());
            }
        }
    }

    @Override
    public void addAddresses(PeerId peer, Collection<Multiaddr> addresses, io.hivemesh.api.net.AddressSource source) {
        addAddresses(peer, addresses, switch (source) {
            case CONNECTED, CERTIFIED -> Duration.ofHours(24);
            case IDENTIFY -> Duration.ofHours(1);
            case THIRD_PARTY -> Duration.ofMinutes(10);
        });
    }

    @Override
    public List<Multiaddr> addresses(PeerId peer) {
        Entry e = peers.get(peer);
        if (e == null) {
            return List.of();
        }
        long now = clock.getAsLong();
        synchronized (e) {
            e.addresses.values().removeIf(until -> until - now < 0);
            return new ArrayList<>(e.addresses.keySet());
        }
    }

    @Override
    public void setProtocols(PeerId peer, Collection<String> protocols) {
        Entry e = entry(peer);
        synchronized (e) {
            e.protocols = Set.copyOf(protocols.stream().limit(MAX_PROTOCOLS).toList());
        }
    }

    @Override
    public Set<String> protocols(PeerId peer) {
        Entry e = peers.get(peer);
        if (e == null) {
            return Set.of();
        }
        synchronized (e) {
            return e.protocols;
        }
    }

    @Override
    public void setPublicKey(PeerId peer, PublicKey key) {
        if (!PeerId.fromPublicKey(key).equals(peer)) {
            throw new IllegalArgumentException("public key does not hash to " + peer);
        }
        Entry e = entry(peer);
        synchronized (e) {
            e.key = key;
        }
    }

    @Override
    public Optional<PublicKey> publicKey(PeerId peer) {
        Entry e = peers.get(peer);
        if (e != null) {
            synchronized (e) {
                if (e.key != null) {
                    return Optional.of(e.key);
                }
            }
        }
        return peer.publicKey();
    }

    @Override
    public void recordLatency(PeerId peer, Duration rtt) {
        Entry e = entry(peer);
        synchronized (e) {
            e.latency = e.latency == null ? rtt
                    : Duration.ofNanos((long) (e.latency.toNanos() * 0.8 + rtt.toNanos() * 0.2));
        }
    }

    @Override
    public Optional<Duration> latency(PeerId peer) {
        Entry e = peers.get(peer);
        if (e == null) {
            return Optional.empty();
        }
        synchronized (e) {
            return Optional.ofNullable(e.latency);
        }
    }

    @Override
    public Set<PeerId> peers() {
        Set<PeerId> out = new java.util.HashSet<>();
        for (PeerId p : peers.keySet()) {
            Entry e = peers.get(p);
            if (e == null) {
                continue;
            }
            synchronized (e) {
                if (!addresses(p).isEmpty() || !e.protocols.isEmpty() || e.key != null || e.latency != null) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
