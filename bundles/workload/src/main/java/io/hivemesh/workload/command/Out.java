package io.hivemesh.workload.command;

import io.hivemesh.protocol.MachineMessage.Port;
import io.hivemesh.protocol.MachineMessage.WorkloadEvent;
import io.hivemesh.workload.internal.WorkloadException;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/** Printing and waiting shared by the workload commands. */
final class Out {
    static final long WAIT_SECONDS = 60;

    private Out() {
    }

    /** Waits for {@code f} (bounded) and unwraps its failure, so that the shell shows the reason. */
    static <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw new WorkloadException(String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new WorkloadException("no answer within " + WAIT_SECONDS + " s");
        }
    }

    static String ports(List<Port> ports) {
        if (ports.isEmpty()) {
            return "-";
        }
        return ports.stream().map(p -> (p.hostPort() > 0 ? p.hostPort() + "->" : "") + p.containerPort() + "/"
                + p.protocol().toLowerCase()).collect(Collectors.joining(","));
    }

    static void events(PrintStream out, List<WorkloadEvent> events) {
        out.printf("%-24s %-18s %-12s %s%n", "TIME", "EVENT", "NODE", "MESSAGE");
        for (WorkloadEvent e : events) {
            out.printf("%-24s %-18s %-12s %s%n", Instant.ofEpochMilli(e.atMillis()), e.kind(), shortPeer(e.node().toString()),
                    e.message());
        }
    }

    /** The last 10 characters of a PeerId: enough to tell nodes apart in a table. */
    static String shortPeer(String peer) {
        return peer.length() <= 12 ? peer : "…" + peer.substring(peer.length() - 10);
    }
}
