package io.hivemesh.rest.internal.health;

import io.hivemesh.api.net.Host;
import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.routing.ValueStore;
import io.hivemesh.api.workload.MachinePlane;
import io.hivemesh.rest.internal.metrics.ServiceSlot;
import java.io.IOException;
import java.util.List;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /readyz}: {@code 200} once the host, the DHT, pubsub and the machine plane are all
 * present, else {@code 503}; the body lists every check (Kubernetes' {@code ?verbose} format). No
 * credentials.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/readyz")
@HttpWhiteboardServletName("hivemesh-readyz")
public final class ReadyzServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient ServiceSlot<Host> host = new ServiceSlot<>();
    private final transient ServiceSlot<ValueStore> dht = new ServiceSlot<>();
    private final transient ServiceSlot<PubSub> pubsub = new ServiceSlot<>();
    private final transient ServiceSlot<MachinePlane> plane = new ServiceSlot<>();
    private final transient ReadinessChecks checks = new ReadinessChecks(List.of(
            new ReadinessChecks.Check("host", () -> host.get().isPresent(),
                    "no libp2p Host service (feature hivemesh-transport; the log says why it did not start)"),
            new ReadinessChecks.Check("dht", () -> dht.get().isPresent(),
                    "no DHT ValueStore service (feature hivemesh-dht)"),
            new ReadinessChecks.Check("pubsub", () -> pubsub.get().isPresent(),
                    "no PubSub service (feature hivemesh-pubsub)"),
            new ReadinessChecks.Check("machine-plane", () -> plane.get().isPresent(),
                    "no MachinePlane service (feature hivemesh-workload; it starts once its node services are up)")));

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ReadinessChecks.Result r = checks.evaluate();
        PlainText.write(resp, r.ready() ? 200 : 503, r.body());
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
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindDht")
    void bindDht(ValueStore s) {
        dht.bind(s);
    }

    void unbindDht(ValueStore s) {
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
