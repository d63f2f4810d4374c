package io.hivemesh.shell.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeIdCommandTest {
    /** The Ed25519 public key of the libp2p peer-ids spec vector. */
    private static final PublicKey KEY = new PublicKey(KeyType.ED25519,
            HexFormat.of().parseHex("1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"));

    private final NodeIdentity identity = new NodeIdentity() {
        @Override
        public PeerId peerId() {
            return PeerId.fromPublicKey(KEY);
        }

        @Override
        public PublicKey publicKey() {
            return KEY;
        }

        @Override
        public byte[] sign(byte[] message) {
            throw new AssertionError("mesh:id never signs");
        }

        @Override
        public String agentVersion() {
            return "hivemesh/9.9.9";
        }
    };

    @Test
    void withoutTransportSaysSo() {
        String id = identity.peerId().toString();
        assertEquals("PeerId   " + id + "\nAgent    hivemesh/9.9.9\nListen   (no transport installed)\n", render(null));
    }

    @Test
    void listenAddressesCarryTheP2pSuffix() {
        String id = identity.peerId().toString();
        String out = render(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"), Multiaddr.parse("/ip6/::1/tcp/4001")));
        assertEquals("PeerId   " + id + "\nAgent    hivemesh/9.9.9\n"
                + "Listen   /ip4/127.0.0.1/tcp/4001/p2p/" + id + "\n"
                + "         /ip6/::1/tcp/4001/p2p/" + id + "\n", out);
    }

    @Test
    void notListeningIsShown() {
        assertTrue(render(List.of()).endsWith("Listen   (not listening)\n"));
    }

    @Test
    void theNoiseCipherIsShownWhenTheHostNamesIt() {
        String out = render(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")),
                Map.of("cipher", "ChaCha20-Poly1305: Conscrypt 2.5.2, BoringSSL (native)", "perf", "not served"));
        assertTrue(out.endsWith("/p2p/" + identity.peerId() + "\nCipher   ChaCha20-Poly1305: Conscrypt 2.5.2, BoringSSL (native)\n"),
                out);
    }

    private String render(List<Multiaddr> listen) {
        return render(listen, Map.of());
    }

    private String render(List<Multiaddr> listen, Map<String, String> info) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        NodeIdCommand.print(out, identity, listen, info);
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
