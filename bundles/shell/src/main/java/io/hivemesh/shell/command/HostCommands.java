package io.hivemesh.shell.command;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the transport commands share: the no-host message and waiting on a future with a bound. */
final class HostCommands {
    static final String NO_HOST = "This node has no libp2p host: the transport is not running (see"
            + " `scr:info io.hivemesh.transport.internal.TransportComponent` and log:display).";

    private HostCommands() {
    }

    static <T> T await(CompletableFuture<T> f, String what) {
        return await(f, what, 30);
    }

    static <T> T await(CompletableFuture<T> f, String what, int seconds) {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new IllegalStateException(what + ": " + (c.getMessage() != null ? c.getMessage() : c.toString()), c);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException(what + ": no answer within " + seconds + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", e);
        }
    }

    /** A PeerId, or the PeerId at the end of a multiaddr's /p2p/ component. */
    static PeerId peerOf(String text) {
        if (text.startsWith("/")) {
            Multiaddr a = Multiaddr.parse(text);
            return a.peerIdHash().map(PeerId::fromMultihash)
                    .orElseThrow(() -> new HivemeshException(text + " names no /p2p/ peer"));
        }
        return PeerId.parse(text);
    }
}
