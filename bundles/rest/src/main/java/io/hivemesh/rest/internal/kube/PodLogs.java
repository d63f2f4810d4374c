package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.api.workload.MachinePlane;
import io.hivemesh.api.workload.WorkloadRejectedException;
import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.http.Responses;

import javax.servlet.AsyncContext;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET .../pods/{name}/log}: the replica's log fetched from the node that runs it, as
 * {@code text/plain}; with {@code follow=true} a chunked stream that polls the replica's node every
 * {@value #FOLLOW_POLL_MS} ms and sends the new lines, until the pod goes or the client does.
 * Answered asynchronously: no request thread waits on the network.
 */
public final class PodLogs {
    static final long FOLLOW_POLL_MS = 1000;
    static final long FETCH_TIMEOUT_S = 20;
    static final int MAX_FOLLOW_LINES = 5000;

    private final KubeState state;
    private final ScheduledExecutorService timers;

    public PodLogs(KubeState state, ScheduledExecutorService timers) {
        this.state = state;
        this.timers = timers;
    }

    public void serve(HttpServletRequest req, HttpServletResponse resp, String namespace, String podName) throws IOException {
        ObjectNode pod = state.get(KubeKind.POD, namespace, podName)
                .orElseThrow(() -> ApiException.notFound("", "pods", podName));
        String container = req.getParameter("container");
        JsonNode containers = pod.path("spec").path("containers");
        if (container != null && !container.isEmpty()) {
            boolean found = false;
            for (JsonNode c : containers) {
                found |= c.path("name").asText().equals(container);
            }
            if (!found) {
                throw ApiException.badRequest("container " + container + " is not valid for pod " + podName);
            }
        }
        if ("true".equals(req.getParameter("previous"))) {
            throw ApiException.badRequest("previous terminated container logs are not kept by the mesh");
        }
        String taskName = owner(pod);
        int replica = pod.path("metadata").path("annotations").path(MeshViews.REPLICA_ANNOTATION).asInt(0);
        if (!pod.path("status").path("phase").asText().equals("Running")) {
            throw ApiException.badRequest("container \"" + firstContainer(containers, container) + "\" in pod \""
                    + podName + "\" is waiting to start: " + pod.path("status").path("phase").asText("Pending"));
        }
        int tail = intParam(req, "tailLines", 0);
        long limitBytes = intParam(req, "limitBytes", 0);
        boolean follow = "true".equals(req.getParameter("follow"));
        MachinePlane plane = state.plane();
        CompletableFuture<List<String>> first;
        try {
            first = plane.logs(namespace, taskName, replica, tail);
        } catch (WorkloadRejectedException e) {
            throw ApiException.notFound("", "pods", podName);
        }
        resp.setStatus(200);
        resp.setContentType("text/plain;charset=utf-8");
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        Follower f = new Follower(async, resp, namespace, taskName, replica, limitBytes, follow);
        first.orTimeout(FETCH_TIMEOUT_S, TimeUnit.SECONDS).whenComplete(f::first);
    }

    private static String owner(ObjectNode pod) {
        for (JsonNode ref : pod.path("metadata").path("ownerReferences")) {
            if (ref.path("kind").asText().equals("Deployment")) {
                return ref.path("name").asText();
            }
        }
        return pod.path("metadata").path("name").asText();
    }

    private static String firstContainer(JsonNode containers, String asked) {
        return asked != null && !asked.isEmpty() ? asked : containers.path(0).path("name").asText("");
    }

    private static int intParam(HttpServletRequest req, String name, int dflt) {
        String v = req.getParameter(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw ApiException.badRequest(name + " must not be negative: " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " is not a number: " + v);
        }
    }

    private final class Follower {
        private final AsyncContext async;
        private final HttpServletResponse resp;
        private final String namespace;
        private final String task;
        private final int replica;
        private final long limitBytes;
        private final boolean follow;
        private long sentBytes;
        private List<String> lastLines = List.of();

        Follower(AsyncContext async, HttpServletResponse resp, String namespace, String task, int replica,
                 long limitBytes, boolean follow) {
            this.async = async;
            this.resp = resp;
            this.namespace = namespace;
            this.task = task;
            this.replica = replica;
            this.limitBytes = limitBytes;
            this.follow = follow;
        }

        void first(List<String> lines, Throwable error) {
            if (error != null) {
                fail(error);
                return;
            }
            if (!write(lines)) {
                return;
            }
            lastLines = lines;
            if (follow) {
                timers.schedule(this::poll, FOLLOW_POLL_MS, TimeUnit.MILLISECONDS);
            } else {
                async.complete();
            }
        }

        private void poll() {
            if (state.plane().task(namespace, task).isEmpty()) {
                async.complete();
                return;
            }
            state.plane().logs(namespace, task, replica, MAX_FOLLOW_LINES).orTimeout(FETCH_TIMEOUT_S, TimeUnit.SECONDS)
                    .whenComplete((lines, e) -> {
                        if (e != null) {
                            async.complete();
                            return;
                        }
                        List<String> fresh = newLines(lastLines, lines);
                        if (!write(fresh)) {
                            return;
                        }
                        lastLines = lines;
                        timers.schedule(this::poll, FOLLOW_POLL_MS, TimeUnit.MILLISECONDS);
                    });
        }

        /** The lines of {@code now} after the longest suffix of {@code before} it starts with. */
        private List<String> newLines(List<String> before, List<String> now) {
            if (before.isEmpty()) {
                return now;
            }
            for (int overlap = Math.min(before.size(), now.size()); overlap > 0; overlap--) {
                if (before.subList(before.size() - overlap, before.size()).equals(now.subList(0, overlap))) {
                    return now.subList(overlap, now.size());
                }
            }
            return now;
        }

        private boolean write(List<String> lines) {
            try {
                for (String l : lines) {
                    byte[] b = (l + "\n").getBytes(StandardCharsets.UTF_8);
                    if (limitBytes > 0 && sentBytes + b.length > limitBytes) {
                        resp.getOutputStream().write(b, 0, (int) (limitBytes - sentBytes));
                        resp.getOutputStream().flush();
                        async.complete();
                        return false;
                    }
                    resp.getOutputStream().write(b);
                    sentBytes += b.length;
                }
                resp.getOutputStream().flush();
                return true;
            } catch (IOException | IllegalStateException e) {
                try {
                    async.complete();
                } catch (IllegalStateException ignored) {
                    // the container ended it already
                }
                return false;
            }
        }

        private void fail(Throwable error) {
            Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            ApiException api = e instanceof java.util.concurrent.TimeoutException
                    ? ApiException.of(504, "Timeout", "the replica's node did not send its log within " + FETCH_TIMEOUT_S + " s")
                    : ApiException.of(502, "InternalError", "the replica's node did not send its log: " + e.getMessage());
            try {
                Responses.status(resp, api);
            } catch (IOException ignored) {
                // client gone
            }
            async.complete();
        }
    }
}
