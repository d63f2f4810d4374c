package io.hivemesh.rest.internal.kube;

import io.hivemesh.api.workload.MachinePlane;
import io.hivemesh.rest.internal.http.Authenticator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.servlet.Servlet;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Kubernetes-compatible API as a DS component: opens the object store under
 * {@code ${karaf.data}/hivemesh/rest/objects/}, keeps the mesh mirror in sync (every
 * {@value #SYNC_MS} ms and right after each write) and registers the servlets on the HTTP Whiteboard.
 */
@Component(service = {}, immediate = true)
public final class KubeApiComponent {
    private static final Logger LOG = LoggerFactory.getLogger(KubeApiComponent.class);
    static final long SYNC_MS = 500;
    static final int MAX_WATCHES = 256;
    static final int HISTORY = 4096;

    private final ScheduledThreadPoolExecutor timers;
    private final ExecutorService writers;
    private final List<ServiceRegistration<Servlet>> servlets = new ArrayList<>();
    private final AtomicBoolean syncQueued = new AtomicBoolean();
    private final MeshMirror mirror;
    private final KubeState state;

    @Activate
    public KubeApiComponent(BundleContext context, @Reference MachinePlane plane, @Reference Authenticator authenticator) {
        AtomicInteger n = new AtomicInteger();
        timers = new ScheduledThreadPoolExecutor(2, r -> daemon(r, "hivemesh-kube-" + n.incrementAndGet()));
        timers.setRemoveOnCancelPolicy(true);
        writers = new ThreadPoolExecutor(1, 8, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000),
                r -> daemon(r, "hivemesh-kube-watch-" + n.incrementAndGet()));
        Clock clock = Clock.systemUTC();
        String agent = context.getBundle().getHeaders().get("Hivemesh-Agent");
        agent = agent == null ? "hivemesh" : agent;
        ObjectStore store = ObjectStore.open(dataDir(context));
        store.problems().forEach(p -> LOG.warn("API object store: {}", p));
        WatchHub hub = new WatchHub(HISTORY, store.currentRv());
        mirror = new MeshMirror(store, plane, clock, agent);
        state = new KubeState(store, hub, plane, mirror, clock);
        mirror.onRefresh(this::queueSync);
        Watches watches = new Watches(state, writers, timers, MAX_WATCHES);
        ObjectApi objects = new ObjectApi(state, watches, new PodLogs(state, timers), clock);
        timers.execute(() -> {
            try {
                state.finishPendingDeletes();
            } catch (RuntimeException e) {
                LOG.warn("finishing deletions left from before the restart failed: {}", e.toString());
            }
        });
        timers.scheduleWithFixedDelay(this::sync, SYNC_MS, SYNC_MS, TimeUnit.MILLISECONDS);
        register(context, new KubeApiServlet(authenticator, objects), true, "/api/*", "/apis/*");
        register(context, new OpenApiServlet(authenticator), false, "/openapi/*");
        register(context, new VersionServlet(agent), false, "/version");
        LOG.info("Kubernetes-compatible API: /api, /apis, /openapi/v3, /version; objects in {}", dataDir(context));
    }

    private void queueSync() {
        if (syncQueued.compareAndSet(false, true)) {
            try {
                timers.execute(this::sync);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                syncQueued.set(false);
            }
        }
    }

    private void sync() {
        syncQueued.set(false);
        try {
            mirror.sync(state);
        } catch (RuntimeException e) {
            LOG.warn("keeping the API's view of the mesh current failed: {}", e.toString(), e);
        }
    }

    private void register(BundleContext context, Servlet servlet, boolean async, String... patterns) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", patterns);
        props.put("osgi.http.whiteboard.servlet.name", servlet.getClass().getSimpleName());
        if (async) {
            props.put("osgi.http.whiteboard.servlet.asyncSupported", Boolean.TRUE);
        }
        servlets.add(context.registerService(Servlet.class, servlet, props));
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<Servlet> r : servlets) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        timers.shutdownNow();
        writers.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static Path dataDir(BundleContext context) {
        String karafData = context.getProperty("karaf.data");
        File base = karafData != null ? new File(karafData, "hivemesh") : context.getDataFile("");
        return base.toPath().resolve("rest").resolve("objects");
    }
}
