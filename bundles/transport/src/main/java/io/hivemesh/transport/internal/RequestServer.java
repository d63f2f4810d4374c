package io.hivemesh.transport.internal;

import io.hivemesh.api.net.MessageStream;
import io.hivemesh.api.net.RequestHandler;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link RequestHandler} on one inbound stream: read a request, answer it (or not, for a
 * one-way message), repeat until the remote closes its side or the idle timeout resets the stream.
 * A handler that fails, or returns a response over the limit, loses the stream (reset) with a log
 * line; nothing else is affected. Runs on the protocol's executor.
 */
final class RequestServer {
    private static final Logger LOG = LoggerFactory.getLogger(RequestServer.class);

    private RequestServer() {
    }

    static void serve(MessageStream s, RequestHandler handler) {
        s.read().whenComplete((msg, err) -> {
            if (err != null) {
                LOG.debug("{} request stream from {} ended: {}", s.protocol(), s.remotePeer(), err.getMessage());
                s.reset();
                return;
            }
            if (msg.isEmpty()) {
                s.close();
                return;
            }
            ByteBuffer b = msg.get();
            byte[] request = new byte[b.remaining()];
            b.get(request);
            CompletableFuture<byte[]> answer;
            try {
                answer = handler.handle(s.remotePeer(), request);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((response, e) -> {
                if (e != null) {
                    LOG.info("{} request from {} refused: {}", s.protocol(), s.remotePeer(), e.getMessage());
                    s.reset();
                } else if (response == null) {
                    serve(s, handler);
                } else {
                    s.write(ByteBuffer.wrap(response)).whenComplete((v, we) -> {
                        if (we != null) {
                            LOG.debug("{} response to {} not sent: {}", s.protocol(), s.remotePeer(), we.getMessage());
                            s.reset();
                        } else {
                            serve(s, handler);
                        }
                    });
                }
            });
        });
    }
}
