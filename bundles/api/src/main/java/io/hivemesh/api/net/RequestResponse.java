package io.hivemesh.api.net;

import io.hivemesh.api.peer.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One request, one response, each a length-prefixed message on a fresh stream (as rust-libp2p's
 * request-response): the stream is opened (dialing if needed), the request written and the write
 * side closed, the response read, and the stream closed. The protocol's {@link ProtocolLimits} (from
 * its handler registration or the defaults) bound the messages; {@code outboundStreamsPerPeer}
 * bounds the calls in flight to one peer (more wait their turn within their timeout).
 *
 * <p>Every failure is a {@link RequestException} with its {@link RequestException.Reason}.
 * Cancelling the returned future resets the stream. Futures complete on the protocol's executor,
 * never on an event loop. Thread-safe.
 */
public interface RequestResponse {

    /** Sends {@code request} and completes with the response (a whole message, at most the limit). */
    CompletableFuture<byte[]> request(PeerId peer, List<String> protocols, byte[] request, Duration timeout);

    /** Sends one message that gets no response (the stream is half-closed after it); completes once sent. */
    CompletableFuture<Void> send(PeerId peer, List<String> protocols, byte[] message, Duration timeout);
}
