package io.hivemesh.dht.internal;

import io.hivemesh.api.multiformats.Cid;
import io.hivemesh.api.multiformats.Multicodec;
import io.hivemesh.api.multiformats.Multihash;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerInfo;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys this node provides itself: its own entry in the {@link ProviderStore} and the store of
 * its own provides ({@code dht/provided/}, one record per key whose value is the CID the key was
 * provided as, possibly empty, and whose received time is when it was last announced), which drives
 * reproviding. Announcing, reannouncing and withdrawing a key are atomic with respect to each
 * other, so a reprovide that runs after a {@link #withdraw} sends nothing; one that checked before
 * it may still send its ADD_PROVIDER messages, which the peers keep for their provider TTL (there is
 * no remote delete in Kademlia). Without a store of own provides ({@code provided} null: tests and
 * simulations) only the entry in the provider store is kept and nothing is reprovided. Thread-safe.
 */
final class OwnProvides {
    private static final Logger LOG = LoggerFactory.getLogger(OwnProvides.class);
    private static final byte[] NO_CID = new byte[0];

    private final ProviderStore providers;
    private final RecordStore provided;

    /**
     * @param providers the node's provider store (its own entries included)
     * @param provided the store of this node's own provides; null: none is kept
     */
    OwnProvides(ProviderStore providers, RecordStore provided) {
        this.providers = providers;
        this.provided = provided;
    }

    /**
     * Records that this node provides {@code key} as of now, remembering {@code cid} with it.
     *
     * @param cid the CID's bytes, or empty when unknown
     * @throws IllegalStateException if a store is full
     * @throws UncheckedIOException if a file cannot be written
     */
    synchronized void announce(byte[] key, byte[] cid, PeerInfo self) {
        providers.add(key, self);
        if (provided != null) {
            provided.put(key, cid);
        }
    }

    /**
     * {@link #announce} again, keeping the remembered CID, if this node still provides {@code key}.
     *
     * @return false if it was withdrawn (or was never provided): nothing changed, send nothing
     */
    synchronized boolean reannounce(byte[] key, PeerInfo self) {
        if (provided == null) {
            providers.add(key, self);
            return true;
        }
        Optional<RecordStore.Stored> s = provided.get(key);
        if (s.isEmpty()) {
            return false;
        }
        announce(key, s.get().value(), self);
        return true;
    }

    /**
     * Stops providing {@code key}: its record leaves the store of own provides (so it is not
     * reprovided, now or after a restart) and this node's entry leaves the provider store.
     *
     * @return whether this node provided it
     * @throws UncheckedIOException if a file cannot be deleted or rewritten
     */
    synchronized boolean withdraw(byte[] key, PeerId self) {
        boolean kept = provided != null && provided.remove(key);
        boolean listed = providers.remove(key, self);
        return kept || listed;
    }

    /** The keys last announced at least {@code every} before {@code now}. */
    List<byte[]> due(Instant now, Duration every) {
        List<byte[]> out = new ArrayList<>();
        if (provided != null) {
            for (RecordStore.Meta m : provided.entries()) {
                if (!m.received().plus(every).isAfter(now)) {
                    out.add(m.key());
                }
            }
        }
        return out;
    }

    /**
     * Adopts the keys the provider store lists for this node but the store of own provides lacks
     * (provides made before that store existed): each is kept there from now on, without a CID.
     *
     * @return the adopted keys, to reprovide
     */
    synchronized List<byte[]> adopt(PeerId self) {
        List<byte[]> out = new ArrayList<>();
        if (provided == null) {
            return out;
        }
        for (byte[] key : providers.keysProvidedBy(self)) {
            if (provided.meta(key).isEmpty()) {
                provided.put(key, NO_CID);
                out.add(key);
            }
        }
        return out;
    }

    /**
     * The CIDs this node provides and reprovides, as last provided; a key kept without a CID (or
     * with one that does not match it) is shown as a CIDv1 with the raw codec of its multihash, a
     * key that is not a multihash is left out. Reads one small file per key.
     */
    Set<Cid> cids() {
        Set<Cid> out = new LinkedHashSet<>();
        if (provided == null) {
            return out;
        }
        for (RecordStore.Stored s : provided.all()) {
            Cid c = cidOf(s.key(), s.value());
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    private static Cid cidOf(byte[] key, byte[] cid) {
        if (cid.length > 0) {
            try {
                Cid c = Cid.decode(cid);
                if (Arrays.equals(c.multihash().toBytes(), key)) {
                    return c;
                }
            } catch (MultiformatException e) {
                LOG.debug("provided key {} keeps an unreadable CID: {}", KadId.of(key), e.getMessage());
            }
        }
        try {
            return Cid.v1(Multicodec.RAW, Multihash.decode(key));
        } catch (MultiformatException e) {
            LOG.debug("provided key {} is not a multihash: {}", KadId.of(key), e.getMessage());
            return null;
        }
    }
}
