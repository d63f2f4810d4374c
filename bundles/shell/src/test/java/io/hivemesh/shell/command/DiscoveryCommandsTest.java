package io.hivemesh.shell.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.discovery.BootstrapResult;
import io.hivemesh.api.discovery.DiscoveredPeer;
import io.hivemesh.api.discovery.DiscoverySource;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryCommandsTest {
    private static final PeerId A = PeerId.fromPublicKey(new PublicKey(KeyType.ED25519, new byte[32]));

    private static String render(java.util.function.Consumer<PrintStream> r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(b, true, StandardCharsets.UTF_8);
        r.accept(out);
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void peersShowSourceTimesAndConnection() {
        DiscoveredPeer p = new DiscoveredPeer(A, DiscoverySource.MDNS, Instant.parse("2026-12-02T06:00:00Z"),
                Instant.parse("2026-12-02T06:00:10Z"), List.of(Multiaddr.parse("/ip4/10.0.0.2/tcp/4001")), true);
        String text = render(out -> DiscoveryCommands.peers(List.of(p), out));
        String row = text.lines().filter(l -> l.contains(A.toString())).findFirst().orElseThrow(() -> new AssertionError(text));
        assertTrue(row.contains("MDNS") && row.contains("2026-12-02 06:00:00Z") && row.contains("2026-12-02 06:00:10Z")
                && row.contains("yes"), row);
        assertTrue(text.lines().findFirst().orElseThrow().contains("Found by"), text);
    }

    @Test
    void bootstrapPrintsConnectedAndFailedWithTheError() {
        String text = render(out -> DiscoveryCommands.bootstrap(new BootstrapResult(List.of(A + " at /ip4/127.0.0.1/tcp/1"),
                List.of("/dnsaddr/x.test: no usable address")), out));
        assertEquals("Connected (1)\n  " + A + " at /ip4/127.0.0.1/tcp/1\nFailed (1)\n  /dnsaddr/x.test: no usable address\n",
                text.replace(System.lineSeparator(), "\n"));
    }

    @Test
    void withoutDiscoveryTheCommandsSaySo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new DiscoveryPeersCommand().execute());
        assertTrue(e.getMessage().contains("hivemesh-discovery"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new DiscoveryBootstrapCommand().execute());
    }
}
