package io.hivemesh.rest.internal.metrics;

import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.ResourceManager;
import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.routing.RoutingTableInfo;
import io.hivemesh.api.workload.MachinePlane;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /metrics}: the node's metrics in the Prometheus text format, with no credentials (like
 * the health endpoints; the node binds HTTP to 127.0.0.1 by default). Every subsystem is a dynamic
 * optional reference: a missing one only leaves its families out.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/metrics")
@HttpWhiteboardServletName("hivemesh-metrics")
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient ServiceSlot<Host> host = new ServiceSlot<>();
    private final transient ServiceSlot<ResourceManager> resources = new ServiceSlot<>();
    private final transient ServiceSlot<RoutingTableInfo> dht = new ServiceSlot<>();
    private final transient ServiceSlot<PubSub> pubsub = new ServiceSlot<>();
    private final transient ServiceSlot<MachinePlane> plane = new ServiceSlot<>();
    private transient NodeMetrics metrics;

    @Activate
    void activate() {
        metrics = new NodeMetrics(List.of(new TransportCollector(host, resources), new DhtCollector(dht),
                new PubSubCollector(pubsub), new WorkloadCollector(plane),
                new ApplyLatency(plane, System.currentTimeMillis())), true);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        metrics.write(body);
        resp.setStatus(200);
        resp.setContentType(NodeMetrics.CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.size());
        body.writeTo(resp.getOutputStream());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindHost")
    void bindHost(Host s) {
        host.bind(s);
    }

    void unbindHost(Host s) {
        host.unbind(s);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindResources")
    void bindResources(ResourceManager s) {
        resources.bind(s);
    }

    void unbindResources(ResourceManager s) {
        resources.unbind(s);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindDht")
    void bindDht(RoutingTableInfo s) {
        dht.bind(s);
    }

    void unbindDht(RoutingTableInfo s) {
        dht.unbind(s);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindPubSub")
    void bindPubSub(PubSub s) {
        pubsub.bind(s);
    }

    void unbindPubSub(PubSub s) {
        pubsub.unbind(s);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindMachinePlane")
    void bindMachinePlane(MachinePlane s) {
        plane.bind(s);
    }

    void unbindMachinePlane(MachinePlane s) {
        plane.unbind(s);
    }
}
