package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How machine-plane envelopes move between nodes: direct requests (request-response protocol
 * {@value #PROTOCOL}) and gossip on the machine topics. The libp2p implementation is
 * {@link HostMachineTransport}; tests and the simulation use an in-memory one. Envelopes are opaque
 * here: signing and verification happen above ({@link MachineWire}).
 */
public interface MachineTransport {
    String PROTOCOL = "/hivemesh/machine/1.0.0";
    String TENDERS_TOPIC = "/hivemesh/machine/tenders/1";
    String EVENTS_TOPIC = "/hivemesh/machine/events/1";

    PeerId self();

    /** Sends {@code envelope} to {@code peer}; completes with its response (empty: a bare acknowledgement). */
    CompletableFuture<byte[]> request(PeerId peer, byte[] envelope, Duration timeout);

    /** Publishes {@code envelope} on {@code topic}; completes once handed to the network. */
    CompletableFuture<Void> publish(String topic, byte[] envelope);

    /** Whether a connection to {@code peer} is open now. */
    boolean isConnected(PeerId peer);

    /** Starts delivering inbound requests and gossip to {@code inbound}; returns a handle that stops it. */
    AutoCloseable serve(Inbound inbound);

    /** The inbound side. Implementations must not block the caller for long. */
    interface Inbound {
        /** Answers a request; complete with an empty array to acknowledge, exceptionally to reset the stream. */
        CompletableFuture<byte[]> onRequest(PeerId from, byte[] envelope);

        /** A gossip message on {@code topic}, relayed by {@code from}. */
        void onGossip(String topic, PeerId from, byte[] envelope);
    }
}
