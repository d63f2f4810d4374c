package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.CapabilityService;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.Sealer;
import io.hivemesh.api.crypto.Signer;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.crypto.internal.Standalone;
import io.hivemesh.runtime.mock.internal.MockEngine;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * In-process machine-plane nodes for tests: real crypto, real store on disk (a temp dir), real
 * scheduling and share logic, the in-memory mesh and the mock runtime engine (which runs nothing).
 */
final class MachineNodesForTests implements AutoCloseable {
    static final MachineSettings FAST = new MachineSettings("default", Duration.ofMillis(100), Duration.ofMillis(200),
            Duration.ofMillis(1500), Duration.ofMillis(200), Duration.ofSeconds(2), 5, Duration.ofMinutes(5),
            Duration.ofSeconds(3), Duration.ofSeconds(5), Optional.empty(), true, 100, 128L << 20);

    /** As {@link #FAST}, for an owner that never runs its own tasks. */
    static final MachineSettings NOT_BIDDING = new MachineSettings("default", Duration.ofMillis(100),
            Duration.ofMillis(200), Duration.ofMillis(1500), Duration.ofMillis(200), Duration.ofSeconds(2), 5,
            Duration.ofMinutes(5), Duration.ofSeconds(3), Duration.ofSeconds(5), Optional.empty(), false, 100, 128L << 20);

    final InMemoryMeshForTests mesh;
    final InMemoryProvidersForTests providers = new InMemoryProvidersForTests();
    private final Map<PeerId, Sealer> sealers = new ConcurrentHashMap<>();
    private final Path dir;
    private final List<TestNode> nodes = new ArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    final Clock clock = Clock.systemUTC();

    MachineNodesForTests(Path dir) {
        this(dir, new InMemoryMeshForTests());
    }

    /** Nodes on {@code mesh} (the simulation's, with its own thread count). */
    MachineNodesForTests(Path dir, InMemoryMeshForTests mesh) {
        this.dir = dir;
        this.mesh = mesh;
    }

    /** One node: its machine plane, its mock engine, its store and its crypto. */
    record TestNode(String name, PeerId id, NodeIdentity identity, MachineNode node, MockEngine engine,
                    WorkloadStore store, Signer signer, Sealer sealer, CapabilityService capabilities,
                    ScheduledThreadPoolExecutor executor, Misbehaviour misbehaviour) {
        WorkloadService service() {
            return new WorkloadService(node);
        }
    }

    TestNode add(Capacity capacity) {
        return add(capacity, FAST, Standalone.identity(), null);
    }

    /** A node with {@code identity}, its store under the directory of {@code sameStoreAs} when given (a restart). */
    TestNode add(Capacity capacity, MachineSettings settings, NodeIdentity identity, TestNode sameStoreAs) {
        String name = sameStoreAs != null ? sameStoreAs.name() : "node" + counter.incrementAndGet();
        Signer signer = Standalone.signer(identity, false, Standalone.replayGuard(clock, 100_000), clock);
        Sealer sealer = sameStoreAs != null ? sameStoreAs.sealer() : Standalone.sealer();
        sealers.put(identity.peerId(), sealer);
        CapabilityService caps = Standalone.capabilities(identity, clock);
        WorkloadStore store = WorkloadStore.open(dir.resolve(name));
        MockEngine engine = sameStoreAs != null ? sameStoreAs.engine() : new MockEngine(Duration.ZERO, 0, 1);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2);
        Misbehaviour misbehaviour = new Misbehaviour(clock, 1000, 60_000, p -> { });
        MachineTransport transport = mesh.join(identity.peerId());
        MachineNode node = MachineNodes.create(new MachineNodes.Services(transport, signer, sealer,
                Standalone.secretSharing(), caps, this::kemKey, store, () -> capacity,
                new OneEngineForTests(engine), () -> providers.forNode(identity.peerId()), clock, executor, settings,
                misbehaviour));
        TestNode t = new TestNode(name, identity.peerId(), identity, node, engine, store, signer, sealer, caps,
                executor, misbehaviour);
        nodes.add(t);
        node.start();
        return t;
    }

    private CompletableFuture<byte[]> kemKey(PeerId peer) {
        Sealer s = sealers.get(peer);
        return s == null ? CompletableFuture.failedFuture(new WorkloadException("no KEM key known for " + peer))
                : CompletableFuture.completedFuture(s.kemPublicKey());
    }

    /** Stops a node's machine plane (its runtime's pods stay, as after a crash). */
    void stop(TestNode t) {
        t.node().close();
        t.executor().shutdownNow();
        nodes.remove(t);
    }

    /** Waits (at most {@code seconds}) until {@code condition} holds; fails naming {@code what}. */
    static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        for (TestNode t : List.copyOf(nodes)) {
            stop(t);
        }
        mesh.close();
    }
}
