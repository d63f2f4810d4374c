package io.hivemesh.dht.internal;

import io.hivemesh.api.peer.PeerId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One iterative Kademlia lookup, sans I/O: the driver asks {@link #next(long)} which peers to query,
 * sends the requests, and reports each reply ({@link #onReply}) or failure ({@link #onFailure}). At
 * most {@code alpha} requests are in flight; a request older than the timeout counts as failed (time
 * is an input, so tests control it). The lookup is done when none of the {@code k} closest peers
 * not known to have failed is still waiting to be asked or answering: then {@link #result()} holds
 * the k closest peers that answered. Peers are never asked twice, our own id and the target's
 * already-seen peers are ignored, so a peer that keeps naming itself (or anyone already seen)
 * cannot make the lookup loop. Not thread-safe.
 */
public final class Lookup {
    private enum State { WAITING, IN_FLIGHT, ANSWERED, FAILED }

    private static final class Candidate {
        final PeerId peer;
        State state = State.WAITING;
        long sentAt;
        final int depth;

        Candidate(PeerId peer, int depth) {
            this.peer = peer;
            this.depth = depth;
        }
    }

    private final KadId target;
    private final PeerId self;
    private final int alpha;
    private final int k;
    private final long timeoutNanos;
    /** Every peer seen, ordered by distance to the target (the key breaks no ties: distinct ids differ). */
    private final TreeMap<KadId, Candidate> byDistance;
    private final Map<PeerId, KadId> ids = new HashMap<>();
    private int inFlight;

    public Lookup(KadId target, PeerId self, Collection<PeerId> seeds, int alpha, int k, long timeoutNanos) {
        if (alpha < 1 || k < 1 || timeoutNanos <= 0) {
            throw new IllegalArgumentException("lookup needs alpha >= 1, k >= 1 and a positive timeout");
        }
        this.target = target;
        this.self = self;
        this.alpha = alpha;
        this.k = k;
        this.timeoutNanos = timeoutNanos;
        this.byDistance = new TreeMap<>(target.byDistance());
        for (PeerId p : seeds) {
            add(p, 1);
        }
    }

    public KadId target() {
        return target;
    }

    private void add(PeerId peer, int depth) {
        if (peer.equals(self) || ids.containsKey(peer)) {
            return;
        }
        KadId id = KadId.of(peer);
        ids.put(peer, id);
        byDistance.put(id, new Candidate(peer, depth));
    }

    /**
     * Fails the requests that timed out and returns the peers to query now (each becomes in flight).
     */
    public List<PeerId> next(long nowNanos) {
        for (Candidate c : byDistance.values()) {
            if (c.state == State.IN_FLIGHT && nowNanos - c.sentAt >= timeoutNanos) {
                c.state = State.FAILED;
                inFlight--;
            }
        }
        List<PeerId> out = new ArrayList<>();
        int live = 0;
        for (Candidate c : byDistance.values()) {
            if (inFlight >= alpha || live >= k) {
                break;
            }
            if (c.state == State.FAILED) {
                continue;
            }
            live++;
            if (c.state == State.WAITING) {
                c.state = State.IN_FLIGHT;
                c.sentAt = nowNanos;
                inFlight++;
                out.add(c.peer);
            }
        }
        return out;
    }

    /** When the oldest in-flight request times out (for the driver's timer); {@code Long.MAX_VALUE} if none. */
    public long nextDeadline() {
        long min = Long.MAX_VALUE;
        for (Candidate c : byDistance.values()) {
            if (c.state == State.IN_FLIGHT) {
                min = Math.min(min, c.sentAt + timeoutNanos);
            }
        }
        return min;
    }

    /** A reply from {@code from} naming {@code closer}; ignored if {@code from} was not asked or timed out. */
    public void onReply(PeerId from, Collection<PeerId> closer) {
        Candidate c = candidate(from);
        if (c == null || c.state != State.IN_FLIGHT) {
            return;
        }
        c.state = State.ANSWERED;
        inFlight--;
        int n = 0;
        for (PeerId p : closer) {
            if (n++ >= DhtCodec.MAX_PEERS_PER_MESSAGE) {
                break;
            }
            add(p, c.depth + 1);
        }
    }

    /** {@code from} failed (no connection, reset, malformed reply); ignored if it was not in flight. */
    public void onFailure(PeerId from) {
        Candidate c = candidate(from);
        if (c != null && c.state == State.IN_FLIGHT) {
            c.state = State.FAILED;
            inFlight--;
        }
    }

    private Candidate candidate(PeerId peer) {
        KadId id = ids.get(peer);
        return id == null ? null : byDistance.get(id);
    }

    /** True when no request is in flight and none of the k closest live peers is left to ask. */
    public boolean done() {
        if (inFlight > 0) {
            return false;
        }
        int live = 0;
        for (Candidate c : byDistance.values()) {
            if (live >= k) {
                break;
            }
            if (c.state == State.FAILED) {
                continue;
            }
            live++;
            if (c.state == State.WAITING) {
                return false;
            }
        }
        return true;
    }

    /** The k closest peers that answered, closest first. */
    public List<PeerId> result() {
        List<PeerId> out = new ArrayList<>(k);
        for (Candidate c : byDistance.values()) {
            if (out.size() >= k) {
                break;
            }
            if (c.state == State.ANSWERED) {
                out.add(c.peer);
            }
        }
        return out;
    }

    /**
     * The hop count of a peer: 1 for a seed, one more than the peer that first named it otherwise;
     * 0 if never seen.
     */
    public int depth(PeerId peer) {
        Candidate c = candidate(peer);
        return c == null ? 0 : c.depth;
    }

    /** Number of peers asked so far (answered, failed or in flight). */
    public int queried() {
        int n = 0;
        for (Candidate c : byDistance.values()) {
            if (c.state != State.WAITING) {
                n++;
            }
        }
        return n;
    }
}
