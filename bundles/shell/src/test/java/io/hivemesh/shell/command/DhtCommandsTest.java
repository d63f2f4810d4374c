package io.hivemesh.shell.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.api.routing.RoutingTableInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DhtCommandsTest {
    private static final PeerId A = PeerId.fromPublicKey(new PublicKey(KeyType.ED25519, new byte[32]));

    @Test
    void keysNeedANamespace() {
        assertArrayEquals("/mesh/x".getBytes(StandardCharsets.UTF_8), DhtCommands.key("/mesh/x"));
        for (String bad : List.of("mesh/x", "/mesh", "//x")) {
            assertThrows(IllegalArgumentException.class, () -> DhtCommands.key(bad), bad);
        }
    }

    @Test
    void tableRendersModeBucketsAndStores() {
        RoutingTableInfo info = new RoutingTableInfo() {
            @Override
            public String mode() {
                return "server";
            }

            @Override
            public String protocol() {
                return "/ipfs/kad/1.0.0";
            }

            @Override
            public SortedMap<Integer, List<PeerId>> buckets() {
                return new TreeMap<>(java.util.Map.of(3, List.of(A)));
            }

            @Override
            public int storedRecords() {
                return 2;
            }

            @Override
            public int storedProviderKeys() {
                return 1;
            }
        };
        assertEquals("Mode      server\nProtocol  /ipfs/kad/1.0.0\nPeers     1 in 1 buckets\n"
                + "Stored    2 records, 1 provider keys\n" + String.format("bucket   3 (1)%n") + "  " + A + "\n",
                DhtCommands.table(info));
    }

    @Test
    void peerLinesListAddresses() {
        assertEquals(A + "  /ip4/127.0.0.1/tcp/1", DhtCommands.peerLine(new PeerInfo(A, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")))));
        assertEquals(A.toString(), DhtCommands.peerLine(new PeerInfo(A, List.of())));
    }
}
