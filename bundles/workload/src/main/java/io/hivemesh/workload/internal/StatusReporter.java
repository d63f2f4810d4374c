package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.runtime.PortMapping;
import io.hivemesh.protocol.MachineMessage;
import io.hivemesh.protocol.MachineMessage.Port;
import io.hivemesh.protocol.MachineMessage.StatusReport;
import io.hivemesh.workload.internal.WorkloadStore.RunningReplica;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Tells a replica's owner what the runtime says about it (and gossips it, so that every node can
 * answer who runs what). The owner may be this node, in which case the report is delivered locally.
 */
public final class StatusReporter {
    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

    private final PeerId self;
    private final MachineWire wire;
    private final Clock clock;
    private final Duration timeout;
    private volatile BiFunction<PeerId, MachineMessage, CompletableFuture<MachineMessage>> local;
    private volatile java.util.function.Consumer<StatusReport> localCopy = s -> { };

    public StatusReporter(PeerId self, MachineWire wire, Clock clock, Duration timeout) {
        this.self = self;
        this.wire = wire;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Where reports to this node itself go (the node's own dispatcher). */
    void deliverLocallyTo(BiFunction<PeerId, MachineMessage, CompletableFuture<MachineMessage>> local) {
        this.local = local;
    }

    /** Where this node keeps its own reports (gossip does not come back to its sender). */
    void copyTo(java.util.function.Consumer<StatusReport> copy) {
        this.localCopy = copy;
    }

    /** Reports {@code r}'s state (and its published ports) to its owner. */
    CompletableFuture<Void> report(RunningReplica r, List<PortMapping> ports) {
        StatusReport s = new StatusReport(r.taskId(), r.generation(), r.replica(), self, r.state(), r.reason(),
                ports.stream().map(p -> new Port(p.container(), p.containerPort(), p.protocol(),
                        p.hostIp() == null ? "" : p.hostIp(), p.hostPort())).toList(), clock.millis());
        localCopy.accept(s);
        wire.publish(MachineTransport.EVENTS_TOPIC, s).exceptionally(e -> null);
        return send(PeerId.parse(r.owner()), s).exceptionally(e -> {
            LOG.info("status of replica {} of task {} to its owner {} failed: {}", r.replica(), r.taskId(),
                    r.owner(), e.toString());
            return Optional.empty();
        }).thenApply(x -> null);
    }

    /** Sends {@code m} to {@code peer}, locally when it is this node. */
    CompletableFuture<Optional<MachineMessage>> send(PeerId peer, MachineMessage m) {
        BiFunction<PeerId, MachineMessage, CompletableFuture<MachineMessage>> l = local;
        if (peer.equals(self) && l != null) {
            return l.apply(self, m).thenApply(Optional::ofNullable);
        }
        return wire.call(peer, m, timeout);
    }
}
