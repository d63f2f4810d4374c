package io.hivemesh.protocol;

import io.hivemesh.api.multiformats.Multihash;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.protocol.MachineMessage.Award;
import io.hivemesh.protocol.MachineMessage.CapabilityGrant;
import io.hivemesh.protocol.MachineMessage.ManifestDelivery;
import io.hivemesh.protocol.MachineMessage.Port;
import io.hivemesh.protocol.MachineMessage.ReplicaRef;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** One message of every kind with non-default values in every field, and deterministic peers. */
final class MessageSamples {
    private MessageSamples() {
    }

    /** A deterministic PeerId: even {@code n} an inlined Ed25519 key, odd a sha2-256 multihash. */
    static PeerId peer(int n) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) (n * 7 + 1));
        seed[0] = (byte) n;
        return n % 2 == 0 ? PeerId.fromPublicKey(new PublicKey(KeyType.ED25519, seed))
                : PeerId.fromMultihash(Multihash.sha256(seed));
    }

    static byte[] bytes(int length, int salt) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + salt);
        }
        return b;
    }

    static Award award() {
        return new Award("task-7f3a", 3, peer(0), peer(1), 2, List.of(peer(2), peer(3), peer(4)), 2,
                List.of(peer(5)), 1_700_000_000_123L, peer(8));
    }

    static ManifestDelivery delivery() {
        return new ManifestDelivery("task-7f3a", 3, "tenant-ä", "web", bytes(12, 1), bytes(4000, 2));
    }

    static CapabilityGrant capability() {
        return new CapabilityGrant("task-7f3a", 3, bytes(300, 3));
    }

    /** Every kind, one each, in the order of the schema's union. */
    static List<MachineMessage> all() {
        return List.of(
                new MachineMessage.Tender("tender-1", "task-7f3a", 3, peer(0), List.of(0, 2, 5), 1500, 256L << 20,
                        List.of(peer(6), peer(7)), 1_700_000_000_999L),
                new MachineMessage.Bid("tender-1", "task-7f3a", 3, peer(1), 3800, 7L << 30, 4, 0.8125),
                award(),
                new MachineMessage.ShareDeposit("task-7f3a", 3, peer(0), 1, bytes(1200, 4)),
                new MachineMessage.ShareRequest("task-7f3a", 3, peer(1), bytes(300, 5), bytes(32, 6), bytes(64, 7)),
                new MachineMessage.ShareGrant("task-7f3a", 3, peer(2), bytes(32, 8), bytes(1200, 9), "not yet: 日本"),
                delivery(),
                capability(),
                new MachineMessage.Deploy(award(), delivery(), capability()),
                new MachineMessage.DeployResult("task-7f3a", 3, 2, peer(1), true, "accepted"),
                new MachineMessage.StatusReport("task-7f3a", 3, 2, peer(1), "Running", "started",
                        List.of(new Port("web", 8080, "TCP", "127.0.0.1", 30080), new Port("dns", 53, "UDP", "::1", 5353)),
                        1_700_000_001_000L),
                new MachineMessage.WorkloadEvent("task-7f3a", 3, peer(1), "deploy", "replica 2 deployed",
                        1_700_000_001_500L),
                new MachineMessage.Delete("task-7f3a", 3, -1, peer(0), true, 1_700_000_002_000L),
                new MachineMessage.Update("task-7f3a", 4, 5, peer(0), 1_700_000_003_000L),
                new MachineMessage.Heartbeat(peer(3), 4000, 8L << 30, 2500, 5L << 30,
                        List.of(new ReplicaRef("task-7f3a", 3, 2), new ReplicaRef("task-b", 1, 0)), 1_700_000_004_000L),
                new MachineMessage.HeartbeatAck(peer(0), List.of(new ReplicaRef("task-b", 1, 0))),
                new MachineMessage.NodeKeysRecord(peer(4), bytes(1216, 10), bytes(1952, 11), 9, 1_700_000_000_000L,
                        1_700_086_400_000L),
                new MachineMessage.LogsRequest("task-7f3a", 2, peer(0), 100, true),
                new MachineMessage.LogsChunk("task-7f3a", 2, peer(1),
                        List.of("line one", "", "zwei \u00fc\u20ac\uD83D\uDE00"), null),
                taskRecord());
    }

    static MachineMessage.TaskRecord taskRecord() {
        return new MachineMessage.TaskRecord("task-7f3a", 3, peer(0), "tenant-ä", "web", 2, 250, 64L << 20,
                bytes(12, 12), bytes(3000, 13), List.of(peer(2), peer(3), peer(4)), 2, List.of(peer(2), peer(3)),
                List.of(new MachineMessage.TaskAssignment(0, peer(5), 3, "Running"),
                        new MachineMessage.TaskAssignment(1, peer(6), 2, "Awarded")),
                bytes(400, 14), peer(0), 1_700_000_005_000L);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
