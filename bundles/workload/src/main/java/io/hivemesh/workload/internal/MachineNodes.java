package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.CapabilityService;
import io.hivemesh.api.crypto.Sealer;
import io.hivemesh.api.crypto.SecretSharing;
import io.hivemesh.api.crypto.Signer;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.ContentRouting;
import io.hivemesh.api.runtime.RuntimeEngines;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Assembles one node's machine plane from its services (the component and the tests use this). */
public final class MachineNodes {
    private MachineNodes() {
    }

    /** The services a machine plane needs. */
    public record Services(MachineTransport transport, Signer signer, Sealer sealer, SecretSharing sharing,
                           CapabilityService capabilities, KeyLookup keys, WorkloadStore store,
                           Supplier<Capacity> capacity, RuntimeEngines engines, Supplier<ContentRouting> providers,
                           Clock clock, ScheduledExecutorService executor, MachineSettings settings,
                           Consumer<PeerId> onMisbehaviour) {
    }

    /** A node, not yet started. */
    public static MachineNode create(Services s) {
        PeerId self = s.transport().self();
        MachineWire wire = new MachineWire(s.transport(), s.signer(), s.clock(), s.onMisbehaviour());
        StatusReporter reporter = new StatusReporter(self, wire, s.clock(), s.settings().requestTimeout());
        TaskEvents events = new TaskEvents(200, 10_000);
        Reservations reservations = new Reservations();
        ManifestResources.Defaults defaults = new ManifestResources.Defaults(s.settings().defaultCpuMillis(),
                s.settings().defaultMemoryBytes());
        MachineContext ctx = new MachineContext(self, wire, s.store(), reservations, s.capacity(), s.engines(),
                s.providers(), events, reporter, s.clock(), s.executor(), s.settings(), defaults);
        ShareHolder holder = new ShareHolder(self, s.store(), s.sealer(), s.capabilities(), s.keys(), events, s.clock());
        ShareCollector collector = new ShareCollector(self, wire, s.sealer(), s.sharing(), s.capabilities(), holder,
                s.settings().requestTimeout());
        ReplicaRuntime runtime = new ReplicaRuntime(ctx);
        WorkerReplicas worker = new WorkerReplicas(ctx, collector, runtime);
        NodeTable nodes = new NodeTable(10_000);
        TenderRounds rounds = new TenderRounds(ctx, worker::bidFor);
        KeyShares shares = new KeyShares(self, s.sealer(), s.sharing(), s.keys(), reporter);
        OwnerTasks owner = new OwnerTasks(ctx, s.capabilities(), new ManifestCipher(new SecureRandom()), shares,
                rounds, nodes);
        OwnerHealing healing = new OwnerHealing(ctx, owner, rounds);
        GuardianRoles guardians = guardians(ctx, s.capabilities(), owner, rounds, worker);
        healing.gateBy(guardians.owner()::mayRepair);
        ReplicaMonitor monitor = new ReplicaMonitor(ctx, worker, runtime, nodes);
        ReplicaLogs logs = new ReplicaLogs(ctx, runtime);
        return new MachineNode(ctx, owner, healing, worker, holder, monitor, logs, nodes, new ReplicaDirectory(10_000),
                guardians);
    }

    /** The guardian roles, and the worker's check of awards a guardian makes in an owner's place. */
    private static GuardianRoles guardians(MachineContext ctx, CapabilityService capabilities, OwnerTasks owner,
                                           TenderRounds rounds, WorkerReplicas worker) {
        GuardedTasks tasks = new GuardedTasks(ctx, capabilities);
        worker.checkGuardianAwardsWith(d -> {
            try {
                Guardians.verifyOwn(capabilities, ctx.self(), d.capability().token(), d.award().taskOwner(),
                        ShareHolder.resource(d.award().taskId(), d.award().generation()), ShareHolder.SHARE_ACTION);
                return null;
            } catch (io.hivemesh.api.crypto.CryptoException e) {
                return "the award of guardian " + d.award().owner() + " does not carry a capability of the task's owner "
                        + d.award().taskOwner() + ": " + e.getMessage();
            }
        });
        return new GuardianRoles(new OwnerGuardians(ctx, capabilities, owner), tasks,
                new GuardianHealing(ctx, capabilities, tasks, rounds));
    }
}
