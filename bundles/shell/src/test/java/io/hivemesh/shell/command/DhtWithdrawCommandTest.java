package io.hivemesh.shell.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.Cid;
import io.hivemesh.api.multiformats.Multicodec;
import io.hivemesh.api.multiformats.Multihash;
import io.hivemesh.api.routing.ContentRouting;
import io.hivemesh.api.routing.PeerInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DhtWithdrawCommandTest {
    private static final Cid CID = Cid.v1(Multicodec.RAW, Multihash.sha256("task".getBytes(StandardCharsets.UTF_8)));

    /** Provides what it is told in memory; withdraw fails when {@code failure} is set. */
    private static final class Routing implements ContentRouting {
        final Set<Cid> provided = new LinkedHashSet<>();
        RuntimeException failure;

        @Override
        public CompletableFuture<Integer> provide(Cid cid) {
            provided.add(cid);
            return CompletableFuture.completedFuture(0);
        }

        @Override
        public CompletableFuture<Void> withdraw(Cid cid) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            provided.removeIf(c -> c.multihash().equals(cid.multihash()));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Set<Cid> provided() {
            return Set.copyOf(provided);
        }

        @Override
        public CompletableFuture<Integer> findProviders(Cid cid, int limit, Consumer<PeerInfo> onProvider) {
            throw new AssertionError("dht:withdraw never looks up providers");
        }
    }

    private static String run(ContentRouting routing, Cid c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DhtWithdrawCommand.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), routing, c);
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    @Test
    void withdrawsWhatThisNodeProvidesAndSaysWhenItProvidedNothing() {
        Routing routing = new Routing();
        routing.provide(CID.toV1());
        assertEquals("withdrew " + CID + " (peers drop their entries when these expire)\n", run(routing, CID));
        assertTrue(routing.provided().isEmpty());
        assertEquals("was not providing " + CID + "\n", run(routing, CID));
    }

    @Test
    void aFailedWithdrawNamesTheCidAndTheCause() {
        Routing routing = new Routing();
        routing.failure = new UncheckedIOException("cannot delete DHT record x: disk gone", new java.io.IOException("disk gone"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(routing, CID));
        assertEquals("withdraw " + CID + ": cannot delete DHT record x: disk gone", e.getMessage());
    }
}
