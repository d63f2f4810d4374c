package io.hivemesh.rest.internal.ui;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.workload.MachinePlane;
import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.http.Responses;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import javax.servlet.AsyncContext;
import javax.servlet.Servlet;
import javax.servlet.ServletOutputStream;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /ui/events}: the dashboard's server-sent events (read-only, unauthenticated, on the
 * node's HTTP port that binds to 127.0.0.1 by default). A thin shell over {@link DashboardHub} on a
 * scheduler thread of its own and {@link AsyncSseClient}s on asynchronous responses; at most
 * {@value #MAX_CLIENTS} clients, beyond that 503. The node's services are optional: the snapshot
 * names the ones that are not running.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/ui/events")
@HttpWhiteboardServletName("hivemesh-dashboard-events")
@HttpWhiteboardServletAsyncSupported
public final class DashboardEventsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final int MAX_CLIENTS = 32;
    static final Duration POLL = Duration.ofMillis(500);
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** A client that has left a frame unwritten this long stopped reading: it is dropped. */
    static final Duration STALL = Duration.ofSeconds(60);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeIdentity identity;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Host host;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MachinePlane plane;

    private transient DashboardHub hub;
    private transient ScheduledExecutorService scheduler;

    @Activate
    void activate() {
        hub = new DashboardHub(() -> NodeState.snapshot(identity, host, plane), MAX_CLIENTS, POLL, HEARTBEAT);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hivemesh-dashboard-events");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::tick, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        hub.closeAll();
    }

    private void tick() {
        try {
            hub.tick(System.nanoTime());
        } catch (RuntimeException e) {
            // a failing round must not cancel the schedule; DashboardHub logs snapshot failures itself
            org.slf4j.LoggerFactory.getLogger(DashboardEventsServlet.class).warn("dashboard: an SSE round failed", e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!hub.reserve()) {
            Responses.status(resp, ApiException.unavailable("the dashboard already serves " + MAX_CLIENTS
                    + " live clients (the most it serves at once); retry later", 5));
            return;
        }
        AsyncSseClient client;
        try {
            resp.setStatus(200);
            resp.setContentType("text/event-stream;charset=utf-8");
            resp.setHeader("Cache-Control", "no-store");
            resp.setHeader("X-Content-Type-Options", "nosniff");
            resp.setHeader("X-Accel-Buffering", "no");
            AsyncContext async = req.startAsync();
            async.setTimeout(0);
            ServletOutputStream out = resp.getOutputStream();
            AsyncSseClient[] self = new AsyncSseClient[1];
            client = new AsyncSseClient(async::complete, out, STALL.toNanos(), () -> hub.leave(self[0]));
            self[0] = client;
            async.addListener(client);
            // non-blocking from here on: the hub never writes to a blocking stream
            out.setWriteListener(client);
            hub.join(client);
        } catch (RuntimeException e) {
            hub.release();
            throw e;
        }
        try {
            scheduler.execute(this::tick);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            client.close();
        }
    }
}
