package io.hivemesh.pubsub.internal;

import io.hivemesh.api.net.MessageStream;
import io.hivemesh.api.peer.PeerId;
import java.util.ArrayDeque;

/**
 * {@link HostGossipNetwork}'s state for one peer: its inbound stream (the one it writes to us on),
 * the outbound stream this node writes on, and the bounded queue of encoded RPCs waiting for that
 * stream (one write in flight). Confined to the router executor: no locking.
 */
final class GossipPeer {
    final PeerId id;
    /** The stream the peer opened (it writes RPCs on it); a newer one replaces it. */
    MessageStream inbound;
    /** The stream this node opened (it writes RPCs on it). */
    MessageStream outbound;
    /** An outbound stream is being opened. */
    boolean opening;
    /** The router knows the peer (peerUp was reported). */
    boolean announced;
    /** Outbound streams lost or refused since the peer last opened a stream to us (bounds reopening). */
    int outboundFailures;
    /** A write is in flight on {@link #outbound}. */
    boolean writing;

    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;

    GossipPeer(PeerId id) {
        this.id = id;
    }

    /** Queues {@code frame} if it fits both bounds; false (not queued) otherwise. */
    boolean offer(byte[] frame, int maxRpcs, long maxBytes) {
        if (queue.size() >= maxRpcs || queuedBytes + frame.length > maxBytes) {
            return false;
        }
        queue.add(frame);
        queuedBytes += frame.length;
        return true;
    }

    /** The next frame to write, or null. */
    byte[] poll() {
        byte[] f = queue.poll();
        if (f != null) {
            queuedBytes -= f.length;
        }
        return f;
    }

    /** Drops every queued frame; returns how many. */
    int clearQueue() {
        int n = queue.size();
        queue.clear();
        queuedBytes = 0;
        return n;
    }

    int queued() {
        return queue.size();
    }

    long queuedBytes() {
        return queuedBytes;
    }

    boolean hasStream() {
        return inbound != null || outbound != null;
    }
}
