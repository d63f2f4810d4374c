package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage;
import io.hivemesh.protocol.MachineMessage.Bid;
import io.hivemesh.protocol.MachineMessage.Delete;
import io.hivemesh.protocol.MachineMessage.Deploy;
import io.hivemesh.protocol.MachineMessage.Heartbeat;
import io.hivemesh.protocol.MachineMessage.LogsRequest;
import io.hivemesh.protocol.MachineMessage.ShareDeposit;
import io.hivemesh.protocol.MachineMessage.ShareRequest;
import io.hivemesh.protocol.MachineMessage.StatusReport;
import io.hivemesh.protocol.MachineMessage.TaskRecord;
import io.hivemesh.protocol.MachineMessage.Tender;
import io.hivemesh.protocol.MachineMessage.WorkloadEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One node's machine plane: routes each verified message to its role (owner, worker, share
 * holder, logs), runs the worker's and the owner's loops, and reconciles with the runtime at start.
 * Messages to this node itself are delivered here directly, unsigned, never over the network.
 */
public final class MachineNode implements MachineWire.Handler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MachineNode.class);

    private final MachineContext ctx;
    private final OwnerTasks owner;
    private final OwnerHealing healing;
    private final WorkerReplicas worker;
    private final ShareHolder holder;
    private final ReplicaMonitor monitor;
    private final ReplicaLogs logs;
    private final NodeTable nodes;
    private final ReplicaDirectory directory;
    private final GuardianRoles guardians;
    private final List<AutoCloseable> running = new ArrayList<>();
    private boolean closed;
    private volatile java.util.function.Supplier<MachineMessage.NodeKeysRecord> ownKeys;

    public MachineNode(MachineContext ctx, OwnerTasks owner, OwnerHealing healing, WorkerReplicas worker,
                       ShareHolder holder, ReplicaMonitor monitor, ReplicaLogs logs, NodeTable nodes,
                       ReplicaDirectory directory, GuardianRoles guardians) {
        this.ctx = ctx;
        this.owner = owner;
        this.healing = healing;
        this.worker = worker;
        this.holder = holder;
        this.monitor = monitor;
        this.logs = logs;
        this.nodes = nodes;
        this.directory = directory;
        this.guardians = guardians;
        ctx.reporter().deliverLocallyTo(this::onRequest);
        ctx.reporter().copyTo(directory::record);
    }

    /** Reconciles with the runtime, then serves the wire and starts the loops. */
    public synchronized void start() {
        if (closed) {
            return; // closed before the (asynchronous) start ran
        }
        try {
            monitor.recover().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("reconciling the machine plane with the runtime did not finish: {}", e.toString());
        }
        running.add(ctx.wire().serve(this));
        long every = ctx.settings().heartbeatInterval().toMillis();
        ScheduledFuture<?> loop = ctx.executor().scheduleWithFixedDelay(() -> {
            monitor.tick();
            guardians.owner().tick();
            healing.tick();
            guardians.healing().tick();
        }, 0, every, TimeUnit.MILLISECONDS);
        running.add(() -> loop.cancel(false));
    }

    /**
     * Runs the owner's repair round now, on the node's executor, besides the loop (after an apply,
     * so that its tender does not wait up to a heartbeat interval for the next round).
     */
    public void repairNow() {
        try {
            ctx.executor().execute(healing::tick); // OwnerHealing runs one round at a time
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("repair round not run now (the node is stopping): {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (AutoCloseable c : running) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("stopping the machine plane: {}", e.toString());
            }
        }
        running.clear();
    }

    @Override
    public CompletableFuture<MachineMessage> onRequest(PeerId from, MachineMessage m) {
        if (!from.equals(ctx.self())) {
            healing.seen(from);
            guardians.healing().seen(from);
        }
        if (m instanceof Bid b) {
            owner.onBid(b);
            return done(null);
        } else if (m instanceof Deploy d) {
            return worker.onDeploy(d);
        } else if (m instanceof ShareDeposit d) {
            holder.onDeposit(d);
            return done(null);
        } else if (m instanceof ShareRequest r) {
            return holder.onRequest(from, r);
        } else if (m instanceof StatusReport s) {
            directory.record(s);
            owner.onStatus(from, s);
            if (s.state().equals("Failed")) {
                healing.backOff(s.taskId());
            } else if (s.state().equals("Running")) {
                healing.running(s.taskId());
            }
            return done(null);
        } else if (m instanceof Heartbeat h) {
            nodes.record(h);
            return done(guardians.owner().filter(healing.onHeartbeat(from, h)));
        } else if (m instanceof Delete d) {
            CompletableFuture<MachineMessage> removed = worker.onDelete(d);
            holder.onDelete(d);
            guardians.tasks().onDelete(d);
            return removed;
        } else if (m instanceof TaskRecord r) {
            return done(guardians.tasks().onRecord(from, r));
        } else if (m instanceof LogsRequest r) {
            return logs.serve(from, r);
        } else if (m instanceof MachineMessage.NodeKeysRecord && ownKeys != null) {
            // A direct key exchange (when the DHT has no record yet): the envelopes authenticate both sides.
            return done(ownKeys.get());
        }
        return CompletableFuture.failedFuture(new WorkloadException("a " + MachineWire.kind(m)
                + " is not a request this node answers"));
    }

    @Override
    public void onGossip(String topic, MachineMessage m, PeerId signer) {
        if (!signer.equals(ctx.self())) {
            guardians.healing().seen(signer);
        }
        if (m instanceof Tender t && topic.equals(MachineTransport.TENDERS_TOPIC)) {
            ctx.executor().execute(() -> worker.onTender(t));
        } else if (m instanceof Delete d && topic.equals(MachineTransport.TENDERS_TOPIC)) {
            worker.onDelete(d);
            holder.onDelete(d);
            guardians.tasks().onDelete(d);
        } else if (m instanceof WorkloadEvent e) {
            ctx.events().add(e);
        } else if (m instanceof Heartbeat h) {
            nodes.record(h);
        } else if (m instanceof StatusReport s) {
            directory.record(s);
            guardians.tasks().onStatus(s);
        }
    }

    /** Answers key-record requests with {@code keys} (this node's current record). */
    public void serveKeys(java.util.function.Supplier<MachineMessage.NodeKeysRecord> keys) {
        this.ownKeys = keys;
    }

    /**
     * Asks {@code peer} directly for its key record, sending this node's own: the reply must be signed
     * by {@code peer}, name it and not be expired.
     */
    public CompletableFuture<MachineMessage.NodeKeysRecord> askKeys(PeerId peer) {
        java.util.function.Supplier<MachineMessage.NodeKeysRecord> mine = ownKeys;
        if (mine == null) {
            return CompletableFuture.failedFuture(new WorkloadException("this node has no key record to exchange"));
        }
        return ctx.wire().call(peer, mine.get(), ctx.settings().requestTimeout()).thenApply(reply -> {
            if (reply.isEmpty() || !(reply.get() instanceof MachineMessage.NodeKeysRecord r) || !r.node().equals(peer)
                    || r.expiresMillis() < ctx.clock().millis()) {
                throw new WorkloadException(peer + " answered no valid key record of its own");
            }
            return r;
        });
    }

    public OwnerTasks owner() {
        return owner;
    }

    public WorkerReplicas worker() {
        return worker;
    }

    public NodeTable nodes() {
        return nodes;
    }

    public ReplicaDirectory directory() {
        return directory;
    }

    public ReplicaLogs logs() {
        return logs;
    }

    public GuardianRoles guardians() {
        return guardians;
    }

    public MachineContext context() {
        return ctx;
    }

    private static CompletableFuture<MachineMessage> done(MachineMessage m) {
        return CompletableFuture.completedFuture(m);
    }
}
