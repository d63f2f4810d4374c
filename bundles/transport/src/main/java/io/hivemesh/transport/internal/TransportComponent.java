package io.hivemesh.transport.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.ConnectionEvents;
import io.hivemesh.api.net.ProtocolHandler;
import io.hivemesh.api.net.ProtocolLimits;
import io.hivemesh.api.net.RequestHandler;
import io.hivemesh.api.net.RequestResponse;
import io.hivemesh.api.net.ResourceManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DS shell over {@link Libp2pHost}: starts the host with the node identity and the configured
 * listen addresses, registers it as the {@link Host} service only once it listens (like the identity
 * component, so a node that cannot bind has no Host service and the log says why), and serves the
 * {@link ProtocolHandler} whiteboard: handlers bind and unbind dynamically by their
 * {@value ProtocolHandler#PROTOCOL} property. A configuration change restarts the host.
 */
@Component(service = {}, immediate = true, configurationPid = TransportComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = TransportComponent.Config.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.hivemesh.api.net.Host",
        uses = Host.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.hivemesh.api.net.RequestResponse",
        uses = RequestResponse.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.hivemesh.api.net.ConnectionEvents",
        uses = ConnectionEvents.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.hivemesh.api.net.ResourceManager",
        uses = ResourceManager.class)
public final class TransportComponent {
    public static final String PID = "io.hivemesh.transport";
    private static final Logger LOG = LoggerFactory.getLogger(TransportComponent.class);

    @ObjectClassDefinition(name = "Hivemesh libp2p transport",
            description = "Listen addresses, timeouts and switches of the node's libp2p host (TCP, Noise, Yamux)."
                    + " Resource limits: io.hivemesh.transport.limits.")
    public @interface Config {
        @AttributeDefinition(name = "Listen addresses",
                description = "Comma-separated multiaddrs /ip4|ip6/<address>/tcp/<port>; port 0 picks a free port.")
        String listen() default "/ip4/0.0.0.0/tcp/4001,/ip6/::/tcp/4001";

        @AttributeDefinition(name = "Dial timeout (ms)",
                description = "Overall deadline of a dial: DNS and every address tried.")
        int dial__timeout__ms() default 10_000;

        @AttributeDefinition(name = "Upgrade timeout (ms)",
                description = "Time allowed for multistream-select, the Noise handshake and muxer selection.")
        int upgrade__timeout__ms() default 10_000;

        @AttributeDefinition(name = "Max receive window (bytes)",
                description = "Largest per-stream yamux receive window reached by auto-tuning (min 262144).")
        int max__window() default 16 * 1024 * 1024;

        @AttributeDefinition(name = "Idle timeout (s)",
                description = "Connections without streams or traffic for this long are closed.")
        int idle__timeout__s() default 300;

        @AttributeDefinition(name = "I/O threads", description = "Netty event loop threads.")
        int io__threads() default 2;

        @AttributeDefinition(name = "Serve /perf/1.0.0",
                description = "Serve the libp2p perf protocol (a free traffic source: off unless measuring).")
        boolean perf() default false;
    }

    private final Libp2pHost host;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final Map<Object, List<String>> pending = new ConcurrentHashMap<>();
    private final Map<Object, ProtocolLimits> pendingLimits = new ConcurrentHashMap<>();
    private volatile boolean started;

    @Activate
    public TransportComponent(BundleContext context, Config config, @Reference NodeIdentity identity) {
        HostConfig hc = new HostConfig(parseListen(config.listen()), Duration.ofMillis(config.dial__timeout__ms()),
                Duration.ofMillis(config.upgrade__timeout__ms()), Math.max(config.max__window(), ReceiveWindow.INITIAL),
                Duration.ofSeconds(Math.max(1, config.idle__timeout__s())), Math.max(1, config.io__threads()),
                config.perf(), ResourceScopes.Config.defaults(Runtime.getRuntime().maxMemory()), peerBookFile(context));
        host = new Libp2pHost(identity, hc);
        try {
            host.start();
        } catch (HivemeshException e) {
            LOG.error("libp2p host not started: {}", e.getMessage());
            throw e;
        }
        synchronized (pending) {
            started = true;
            pending.forEach((h, ps) -> ps.forEach(p -> serve(p, h, pendingLimits.get(h))));
            pending.clear();
            pendingLimits.clear();
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("hivemesh.peer.id", identity.peerId().toString());
        registrations.add(context.registerService(Host.class, host, props));
        registrations.add(context.registerService(RequestResponse.class, host.requestResponse(), props));
        registrations.add(context.registerService(ConnectionEvents.class, host.events(), props));
        registrations.add(context.registerService(ResourceManager.class, host.resources(), props));
    }

    /** {@code ${karaf.data}/hivemesh/transport/peers.pb} (the bundle's data area outside Karaf). */
    static java.nio.file.Path peerBookFile(BundleContext context) {
        String karafData = context.getProperty("karaf.data");
        java.io.File base = karafData != null ? new java.io.File(karafData, "hivemesh") : context.getDataFile("");
        return base.toPath().resolve("transport").resolve("peers.pb");
    }

    static List<Multiaddr> parseListen(String text) {
        List<Multiaddr> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                Multiaddr a = Multiaddr.parse(t);
                HostAddresses.toSocketAddress(a);
                out.add(a);
            } catch (HivemeshException | NumberFormatException e) {
                throw new HivemeshException("io.hivemesh.transport listen: invalid address '" + t + "': "
                        + e.getMessage(), e);
            }
        }
        return out;
    }

    @Reference(service = ProtocolHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + ProtocolHandler.PROTOCOL + "=*)")
    void bindHandler(ProtocolHandler handler, Map<String, Object> props) {
        bind(handler, props);
    }

    void unbindHandler(ProtocolHandler handler, Map<String, Object> props) {
        unbind(handler, props);
    }

    @Reference(service = RequestHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + ProtocolHandler.PROTOCOL + "=*)")
    void bindRequestHandler(RequestHandler handler, Map<String, Object> props) {
        bind(handler, props);
    }

    void unbindRequestHandler(RequestHandler handler, Map<String, Object> props) {
        unbind(handler, props);
    }

    private void bind(Object handler, Map<String, Object> props) {
        List<String> protocols = protocolsOf(props);
        ProtocolLimits limits;
        try {
            limits = ProtocolLimits.defaults().with(props);
        } catch (IllegalArgumentException e) {
            LOG.error("protocol handler for {} not served: {}", protocols, e.getMessage());
            return;
        }
        synchronized (pending) {
            if (started) {
                protocols.forEach(p -> serve(p, handler, limits));
            } else {
                pending.put(handler, protocols);
                pendingLimits.put(handler, limits);
            }
        }
    }

    private void serve(String protocol, Object handler, ProtocolLimits limits) {
        if (handler instanceof ProtocolHandler h) {
            host.addHandler(protocol, h, limits);
        } else if (handler instanceof RequestHandler r) {
            host.addRequestHandler(protocol, r, limits);
        }
    }

    private void unbind(Object handler, Map<String, Object> props) {
        synchronized (pending) {
            pending.remove(handler);
            pendingLimits.remove(handler);
            if (started) {
                protocolsOf(props).forEach(p -> host.removeHandler(p, handler));
            }
        }
    }

    static List<String> protocolsOf(Map<String, Object> props) {
        Object v = props.get(ProtocolHandler.PROTOCOL);
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof String[] a) {
            return List.of(a);
        }
        if (v instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                LOG.debug("service already unregistered");
            }
        }
        host.stop();
    }
}
