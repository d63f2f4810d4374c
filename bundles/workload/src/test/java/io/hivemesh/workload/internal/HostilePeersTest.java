package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.Signer;
import io.hivemesh.crypto.internal.Standalone;
import io.hivemesh.protocol.MachineMessage;
import io.hivemesh.protocol.MachineMessage.Award;
import io.hivemesh.protocol.MachineMessage.Delete;
import io.hivemesh.protocol.MachineMessage.Deploy;
import io.hivemesh.protocol.MachineMessage.DeployResult;
import io.hivemesh.protocol.MachineMessage.ShareGrant;
import io.hivemesh.protocol.MachineMessage.ShareRequest;
import io.hivemesh.protocol.MachineCodec;
import io.hivemesh.protocol.SignedMessages;
import io.hivemesh.workload.internal.MachineNodesForTests.TestNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.hivemesh.workload.internal.MachineNodesForTests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile peers against the machine plane: forged, replayed, unauthorised, oversized and garbage messages. */
class HostilePeersTest extends InProcessMeshTest {
    TestNode owner;
    TestNode worker;
    TestNode evil;

    @BeforeEach
    void setUp() throws Exception {
        owner = mesh.add(MachinePlaneTest.ROOMY, MachineNodesForTests.NOT_BIDDING, Standalone.identity(), null);
        worker = mesh.add(MachinePlaneTest.ROOMY);
        evil = mesh.add(new Capacity(0, 0)); // never bids, never wins: only attacks
    }


    private String applyAndWait() throws Exception {
        OwnerTasks.Applied a = owner.service().apply(MachinePlaneTest.deployment(1, "v1"), OptionalInt.of(1));
        await("the replica runs on the worker", 20, () -> worker.engine().workloadIds().size() == 1
                && MachinePlaneTest.runningNodes(MachinePlaneTest.task(owner, a.taskId()), 1).size() == 1);
        return a.taskId();
    }

    /** A reader of envelopes with its own replay memory (so that reading does not consume the victim's). */
    private static MachineMessage read(byte[] envelope) {
        Signer reader = Standalone.signer(Standalone.identity(), false, Standalone.replayGuard(Clock.systemUTC(), 1000),
                Clock.systemUTC());
        return SignedMessages.open(reader, envelope).message();
    }

    private byte[] sentEnvelope(TestNode from, TestNode to, Class<? extends MachineMessage> kind) {
        for (InMemoryMeshForTests.Sent s : mesh.mesh.sent) {
            if (s.from().equals(from.id()) && s.to().equals(to.id()) && kind.isInstance(read(s.envelope()))) {
                return s.envelope();
            }
        }
        throw new AssertionError("no " + kind.getSimpleName() + " was sent from " + from.name() + " to " + to.name());
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static MachineMessage answer(Signer asker, CompletableFuture<byte[]> f) throws Exception {
        byte[] reply = f.get(5, TimeUnit.SECONDS);
        return reply.length == 0 ? null : read(reply);
    }

    @Test
    void forgedDeleteAndAwardSignedByAnotherNodeAreRefused() throws Exception {
        String taskId = applyAndWait();
        long now = System.currentTimeMillis();
        // Claims to be the owner but is signed by evil: refused before any state changes.
        byte[] forged = SignedMessages.sign(evil.signer(), new Delete(taskId, 1, -1, owner.id(), true, now));
        Throwable t = failure(mesh.mesh.inject(evil.id(), worker.id(), forged));
        assertTrue(t.getMessage().contains("signed by") || t.getMessage().contains("author"), t.getMessage());
        // A delete evil signs as itself is valid, but the task is not evil's: nothing is removed.
        byte[] own = SignedMessages.sign(evil.signer(), new Delete(taskId, 1, -1, evil.id(), true, now));
        mesh.mesh.inject(evil.id(), worker.id(), own).get(5, TimeUnit.SECONDS);
        Thread.sleep(300);
        assertEquals(1, worker.engine().workloadIds().size(), "the owner's replica still runs");
        assertTrue(worker.store().tombstone(taskId).isEmpty(), "evil cannot tombstone another owner's task");
        // A forged award in the owner's name.
        Deploy real = (Deploy) read(sentEnvelope(owner, worker, Deploy.class));
        Award a = real.award();
        Deploy fake = new Deploy(new Award(a.taskId(), a.generation() + 1, owner.id(), worker.id(), 0, a.holders(),
                a.threshold(), a.guardians(), now), real.delivery(), real.capability());
        Throwable f = failure(mesh.mesh.inject(evil.id(), worker.id(), SignedMessages.sign(evil.signer(), fake)));
        assertFalse(f.getMessage().isEmpty());
        assertTrue(evil.misbehaviour() != null);
        assertTrue(worker.node().context() != null && worker.engine().workloadIds().size() == 1);
    }

    @Test
    void replayedAwardAndDeleteAreRefused() throws Exception {
        String taskId = applyAndWait();
        byte[] award = sentEnvelope(owner, worker, Deploy.class);
        Throwable replay = failure(mesh.mesh.inject(owner.id(), worker.id(), award));
        assertTrue(replay.getMessage().toLowerCase().contains("replay") || replay.getMessage().contains("nonce"),
                replay.getMessage());
        assertEquals(1, worker.engine().workloadIds().size(), "still one replica");

        owner.service().delete(taskId).get(10, TimeUnit.SECONDS);
        await("the replica is removed", 10, () -> worker.engine().workloadIds().isEmpty());
        byte[] delete = sentEnvelope(owner, worker, Delete.class);
        failure(mesh.mesh.inject(owner.id(), worker.id(), delete));
        // A fresh, validly signed award for the deleted generation is refused by the tombstone.
        Deploy real = (Deploy) read(award);
        byte[] again = SignedMessages.sign(owner.signer(), real);
        DeployResult r = (DeployResult) answer(owner.signer(), mesh.mesh.inject(owner.id(), worker.id(), again));
        assertFalse(r.accepted());
        assertTrue(r.reason().contains("deleted"), r.reason());
        Thread.sleep(300);
        assertTrue(worker.engine().workloadIds().isEmpty(), "no replica came back");
    }

    @Test
    void aNodeWithoutTheCapabilityGetsNoShare() throws Exception {
        String taskId = applyAndWait();
        Deploy real = (Deploy) read(sentEnvelope(owner, worker, Deploy.class));
        TestNode holder = owner; // the owner holds a share of every task it distributes
        // Round 1 (a challenge) is answered to anyone; round 2 needs the capability for the presenter.
        ShareGrant challenge = (ShareGrant) answer(evil.signer(), mesh.mesh.inject(evil.id(), holder.id(),
                SignedMessages.sign(evil.signer(), new ShareRequest(taskId, 1, evil.id(), real.capability().token(),
                        new byte[0], new byte[0]))));
        assertEquals(0, challenge.sealedShare().length);
        // The worker's token presented by evil (signature by evil over the challenge): refused.
        byte[] sig = evil.capabilities().present(real.capability().token(), challenge.challenge());
        ShareGrant stolen = (ShareGrant) answer(evil.signer(), mesh.mesh.inject(evil.id(), holder.id(),
                SignedMessages.sign(evil.signer(), new ShareRequest(taskId, 1, evil.id(), real.capability().token(),
                        challenge.challenge(), sig))));
        assertEquals(0, stolen.sealedShare().length);
        assertTrue(stolen.refusal().startsWith("capability refused"), stolen.refusal());
        // A token evil issued itself: refused too (the holder trusts only the task's owner as issuer).
        ShareGrant c2 = (ShareGrant) answer(evil.signer(), mesh.mesh.inject(evil.id(), holder.id(),
                SignedMessages.sign(evil.signer(), new ShareRequest(taskId, 1, evil.id(), new byte[0],
                        new byte[0], new byte[0]))));
        byte[] selfMade = evil.capabilities().issue(new io.hivemesh.api.crypto.Capability(evil.id(), evil.id(),
                ShareHolder.resource(taskId, 1), java.util.Set.of(ShareHolder.SHARE_ACTION),
                java.time.Instant.now().minusSeconds(5), java.time.Instant.now().plusSeconds(60), java.util.Map.of()));
        ShareGrant forged = (ShareGrant) answer(evil.signer(), mesh.mesh.inject(evil.id(), holder.id(),
                SignedMessages.sign(evil.signer(), new ShareRequest(taskId, 1, evil.id(), selfMade, c2.challenge(),
                        evil.capabilities().present(selfMade, c2.challenge())))));
        assertEquals(0, forged.sealedShare().length);
        assertFalse(forged.refusal().isEmpty());
    }

    @Test
    void fewerSharesThanTheThresholdNeverOpenTheManifest() {
        var sharing = Standalone.secretSharing();
        ManifestCipher cipher = new ManifestCipher(new SecureRandom());
        byte[] key = cipher.newKey();
        var delivery = cipher.seal(key, "t", 1, "default", "web", "kind: Pod");
        int n = 5;
        int k = Scheduler.threshold(n);
        assertEquals(3, k);
        List<byte[]> shares = sharing.split(key, k, n);
        assertEquals("kind: Pod", ManifestCipher.open(sharing.combine(shares.subList(0, k)), delivery));
        for (int used = 1; used < k; used++) {
            List<byte[]> few = shares.subList(0, used);
            assertThrows(RuntimeException.class, () -> ManifestCipher.open(sharing.combine(few), delivery),
                    used + " shares must not open it");
        }
    }

    @Test
    void anHonestNodeRefusesAnAwardItHasNoRoomForWhateverOthersBid() throws Exception {
        // Room for exactly one replica of 200m/64Mi; two tasks tendered at once both get its bid.
        TestNode small = mesh.add(new Capacity(300, 100L << 20));
        mesh.stop(worker);
        owner.service().apply(MachinePlaneTest.deployment(1, "one").replace("name: web", "name: one"), OptionalInt.of(1));
        owner.service().apply(MachinePlaneTest.deployment(1, "two").replace("name: web", "name: two"), OptionalInt.of(1));
        await("one replica runs on the small node", 20, () -> small.engine().workloadIds().size() == 1);
        Thread.sleep(1000);
        assertEquals(1, small.engine().workloadIds().size(), "the small node never runs two");
        assertTrue(small.node().context().reservations().free(new Capacity(300, 100L << 20)).cpuMillis() >= 0);
    }

    @Test
    void garbageAndOversizeMessagesFailOnlyTheirRequest() throws Exception {
        byte[] garbage = new byte[300];
        new SecureRandom().nextBytes(garbage);
        failure(mesh.mesh.inject(evil.id(), worker.id(), garbage));
        byte[] huge = new byte[MachineCodec.MAX_MESSAGE_BYTES + 10];
        failure(mesh.mesh.inject(evil.id(), worker.id(), huge));
        assertTrue(worker.misbehaviour().strikes(evil.id()) >= 2, "the sender is counted as misbehaving");
        // The node still works.
        applyAndWait();
        assertEquals(Optional.empty(), Optional.<String>empty());
    }
}
