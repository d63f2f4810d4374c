package io.hivemesh.dht.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.dht.internal.proto.DhtProto.StoredProviders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider records: for each key (a multihash), the peers that said they provide it, with their
 * addresses and when they said so. One file per key ({@code <hex sha-256 of key>.prov}), rewritten
 * atomically on each change. An entry older than the time-to-live is gone. Bounded: at most
 * {@code maxKeys} keys and {@code maxPerKey} providers per key (the oldest entry of a full key makes
 * room). Thread-safe: changes and their (small) file writes happen under the store's lock, except
 * the rewrites of {@link #expire()}, done after it is released.
 */
public final class ProviderStore {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderStore.class);
    private static final String SUFFIX = ".prov";

    private record Entry(List<Multiaddr> addrs, long receivedMillis) {
    }

    private record Key(byte[] key, LinkedHashMap<PeerId, Entry> providers) {
    }

    private final Path dir;
    private final Clock clock;
    private final Duration ttl;
    private final int maxKeys;
    private final int maxPerKey;
    private final Map<KadId, Key> index = new HashMap<>();
    /** Keys whose file {@link #expire()} is rewriting outside the lock; an add of one waits. */
    private final Set<KadId> rewriting = new HashSet<>();

    public ProviderStore(Path dir, Clock clock, Duration ttl, int maxKeys, int maxPerKey) {
        this.dir = dir;
        this.clock = clock;
        this.ttl = ttl;
        this.maxKeys = maxKeys;
        this.maxPerKey = maxPerKey;
        load();
    }

    private void load() {
        try {
            for (Path f : AtomicFiles.committed(dir, SUFFIX)) {
                String name = f.getFileName().toString();
                try {
                    StoredProviders sp = StoredProviders.parseFrom(Files.readAllBytes(f));
                    byte[] key = sp.getKey().toByteArray();
                    if (!(KadId.of(key) + SUFFIX).equals(name)) {
                        LOG.warn("DHT provider file {} holds another key; ignored", f);
                        continue;
                    }
                    LinkedHashMap<PeerId, Entry> providers = new LinkedHashMap<>();
                    for (StoredProviders.Entry e : sp.getEntriesList()) {
                        List<Multiaddr> addrs = new ArrayList<>();
                        for (ByteString a : e.getAddrsList()) {
                            addrs.add(Multiaddr.decode(a.toByteArray()));
                        }
                        providers.put(PeerId.fromBytes(e.getPeer().toByteArray()), new Entry(addrs, e.getReceivedMillis()));
                    }
                    index.put(KadId.of(key), new Key(key, providers));
                } catch (InvalidProtocolBufferException | MultiformatException e) {
                    LOG.warn("DHT provider file {} is unreadable ({}); ignored", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the DHT provider store " + dir + ": " + e.getMessage(), e);
        }
        expire();
    }

    /**
     * Records that {@code provider} provides {@code key} as of now.
     *
     * @throws IllegalStateException if the store already holds {@code maxKeys} other keys
     * @throws UncheckedIOException if the file cannot be written (nothing changes then)
     */
    public synchronized void add(byte[] key, PeerInfo provider) {
        KadId id = KadId.of(key);
        awaitNotRewriting(id);
        Key k = index.get(id);
        if (k == null) {
            if (index.size() >= maxKeys) {
                expire();
                if (index.size() >= maxKeys) {
                    throw new IllegalStateException("DHT provider store is full (" + maxKeys + " keys)");
                }
            }
            k = new Key(key.clone(), new LinkedHashMap<>());
        }
        LinkedHashMap<PeerId, Entry> next = new LinkedHashMap<>(k.providers());
        next.remove(provider.peer());
        while (next.size() >= maxPerKey) {
            next.remove(next.keySet().iterator().next());
        }
        next.put(provider.peer(), new Entry(provider.addresses(), clock.millis()));
        Key updated = new Key(k.key(), next);
        persist(id, updated);
        index.put(id, updated);
    }

    /**
     * Deletes the entry of {@code provider} for {@code key} now, live or expired (this node
     * withdrawing its own provide; there is no remote delete in Kademlia).
     *
     * @return whether there was such an entry
     * @throws UncheckedIOException if the file cannot be rewritten (nothing changes then)
     */
    public synchronized boolean remove(byte[] key, PeerId provider) {
        KadId id = KadId.of(key);
        awaitNotRewriting(id);
        Key k = index.get(id);
        if (k == null || !Arrays.equals(k.key(), key) || !k.providers().containsKey(provider)) {
            return false;
        }
        LinkedHashMap<PeerId, Entry> next = new LinkedHashMap<>(k.providers());
        next.remove(provider);
        Key updated = new Key(k.key(), next);
        persist(id, updated);
        if (next.isEmpty()) {
            index.remove(id);
        } else {
            index.put(id, updated);
        }
        return true;
    }

    private void persist(KadId id, Key k) {
        Path file = dir.resolve(id + SUFFIX);
        try {
            if (k.providers().isEmpty()) {
                AtomicFiles.delete(file);
                return;
            }
            StoredProviders.Builder b = StoredProviders.newBuilder().setKey(ByteString.copyFrom(k.key()));
            k.providers().forEach((p, e) -> {
                StoredProviders.Entry.Builder eb = StoredProviders.Entry.newBuilder()
                        .setPeer(ByteString.copyFrom(p.toBytes())).setReceivedMillis(e.receivedMillis());
                e.addrs().forEach(a -> eb.addAddrs(ByteString.copyFrom(a.toBytes())));
                b.addEntries(eb);
            });
            AtomicFiles.write(file, b.build().toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write DHT providers " + id + ": " + e.getMessage(), e);
        }
    }

    /** The live providers of {@code key}, oldest entry first. */
    public synchronized List<PeerInfo> get(byte[] key) {
        Key k = index.get(KadId.of(key));
        if (k == null || !Arrays.equals(k.key(), key)) {
            return List.of();
        }
        long now = clock.millis();
        List<PeerInfo> out = new ArrayList<>();
        k.providers().forEach((p, e) -> {
            if (live(e, now)) {
                out.add(new PeerInfo(p, e.addrs()));
            }
        });
        return out;
    }

    private boolean live(Entry e, long now) {
        return now - e.receivedMillis() < ttl.toMillis();
    }

    /**
     * Deletes expired entries (and keys left empty); returns how many entries. The index changes
     * under the lock; the files are rewritten or deleted after it is released (an {@link #add} of a
     * key being rewritten waits for that file, then writes its own, so the add wins).
     */
    public int expire() {
        long now = clock.millis();
        Map<KadId, Key> rewrite = new LinkedHashMap<>();
        int n = 0;
        synchronized (this) {
            for (Iterator<Map.Entry<KadId, Key>> it = index.entrySet().iterator(); it.hasNext();) {
                Map.Entry<KadId, Key> me = it.next();
                LinkedHashMap<PeerId, Entry> live = new LinkedHashMap<>();
                me.getValue().providers().forEach((p, e) -> {
                    if (live(e, now)) {
                        live.put(p, e);
                    }
                });
                int dropped = me.getValue().providers().size() - live.size();
                if (dropped == 0) {
                    continue;
                }
                Key updated = new Key(me.getValue().key(), live);
                n += dropped;
                rewrite.put(me.getKey(), updated);
                rewriting.add(me.getKey());
                if (live.isEmpty()) {
                    it.remove();
                } else {
                    me.setValue(updated);
                }
            }
        }
        rewrite.forEach((id, updated) -> {
            try {
                persist(id, updated);
            } catch (UncheckedIOException e) {
                LOG.warn("cannot drop expired DHT providers (their file keeps them until the next restart): {}", e.getMessage());
            } finally {
                synchronized (this) {
                    rewriting.remove(id);
                    notifyAll();
                }
            }
        });
        return n;
    }

    private void awaitNotRewriting(KadId id) {
        while (rewriting.contains(id)) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the rewrite of DHT providers " + id, e);
            }
        }
    }

    /**
     * The keys {@code peer} has a live provider entry for (to adopt this node's own provides made
     * before they were kept in a store of their own).
     */
    public synchronized List<byte[]> keysProvidedBy(PeerId peer) {
        long now = clock.millis();
        List<byte[]> out = new ArrayList<>();
        for (Key k : index.values()) {
            Entry e = k.providers().get(peer);
            if (e != null && live(e, now)) {
                out.add(k.key().clone());
            }
        }
        return out;
    }

    /** Number of keys with at least one stored provider entry. */
    public synchronized int keys() {
        return index.size();
    }
}
