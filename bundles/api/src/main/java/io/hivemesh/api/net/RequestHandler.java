package io.hivemesh.api.net;

import io.hivemesh.api.peer.PeerId;
import java.util.concurrent.CompletableFuture;

/**
 * Serves a request-response protocol. Whiteboard: register as an OSGi service with
 * {@value ProtocolHandler#PROTOCOL} set to the protocol id(s), and optionally the
 * {@link ProtocolLimits} properties. For each inbound stream the transport reads one request
 * message, calls {@link #handle}, writes the response, and repeats until the remote closes the
 * stream (so a peer may send several requests on one stream, as Kademlia peers do) or the idle
 * timeout passes.
 *
 * <p>{@link #handle} runs on the protocol's bounded executor, never on an event loop: it may block
 * briefly (files, fsync). Complete with the response; with {@code null} for a one-way message that
 * gets none; exceptionally to refuse (the stream is reset and the reason logged).
 */
@FunctionalInterface
public interface RequestHandler {

    /** Answers one request from {@code from}. */
    CompletableFuture<byte[]> handle(PeerId from, byte[] request);
}
