package io.hivemesh.transport.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.ProtocolHandler;
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
public final class TransportComponent {
    public static final String PID = "io.hivemesh.transport";
    private static final Logger LOG = LoggerFactory.getLogger(TransportComponent.class);

    @ObjectClassDefinition(name = "Hivemesh libp2p transport",
            description = "Listen addresses and limits of the node's libp2p host (TCP, Noise, Yamux).")
    public @interface Config {
        @AttributeDefinition(name = "Listen addresses",
                description = "Comma-separated multiaddrs /ip4|ip6/<address>/tcp/<port>; port 0 picks a free port.")
        String listen() default "/ip4/0.0.0.0/tcp/4001,/ip6/::/tcp/4001";

        @AttributeDefinition(name = "Dial timeout (ms)", description = "TCP connect timeout.")
        int dial_timeout_ms() default 10_000;

        @AttributeDefinition(name = "Upgrade timeout (ms)",
                description = "Time allowed for multistream-select, the Noise handshake and muxer selection.")
        int upgrade_timeout_ms() default 15_000;

        @AttributeDefinition(name = "Max connections", description = "Inbound connections beyond this are refused.")
        int max_connections() default 1024;

        @AttributeDefinition(name = "Max streams per connection",
                description = "Concurrent inbound yamux streams per connection; more are reset.")
        int max_streams_per_connection() default 512;

        @AttributeDefinition(name = "Max receive window (bytes)",
                description = "Largest per-stream yamux receive window reached by auto-tuning (min 262144).")
        int max_window() default 16 * 1024 * 1024;

        @AttributeDefinition(name = "Idle timeout (s)",
                description = "Connections without streams or traffic for this long are closed.")
        int idle_timeout_s() default 300;

        @AttributeDefinition(name = "I/O threads", description = "Netty event loop threads.")
        int io_threads() default 2;
    }

    private final Libp2pHost host;
    private final ServiceRegistration<Host> registration;
    private final Map<ProtocolHandler, List<String>> pending = new ConcurrentHashMap<>();

    @Activate
    public TransportComponent(BundleContext context, Config config, @Reference NodeIdentity identity) {
        HostConfig hc = new HostConfig(parseListen(config.listen()), Duration.ofMillis(config.dial_timeout_ms()),
                Duration.ofMillis(config.upgrade_timeout_ms()), config.max_connections(),
                config.max_streams_per_connection(), Math.max(config.max_window(), ReceiveWindow.INITIAL),
                Duration.ofSeconds(Math.max(1, config.idle_timeout_s())), Math.max(1, config.io_threads()));
        host = new Libp2pHost(identity, hc);
        try {
            host.start();
        } catch (HivemeshException e) {
            LOG.error("libp2p host not started: {}", e.getMessage());
            throw e;
        }
        synchronized (pending) {
            pending.forEach((h, ps) -> ps.forEach(p -> host.addHandler(p, h)));
            pending.clear();
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("hivemesh.peer.id", identity.peerId().toString());
        registration = context.registerService(Host.class, host, props);
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
                Libp2pHost.toSocketAddress(a, false);
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
        List<String> protocols = protocolsOf(props);
        synchronized (pending) {
            if (hostStarted()) {
                protocols.forEach(p -> host.addHandler(p, handler));
            } else {
                pending.put(handler, protocols);
            }
        }
    }

    void unbindHandler(ProtocolHandler handler, Map<String, Object> props) {
        synchronized (pending) {
            pending.remove(handler);
            if (hostStarted()) {
                protocolsOf(props).forEach(p -> host.removeHandler(p, handler));
            }
        }
    }

    private boolean hostStarted() {
        return registration != null;
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
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            LOG.debug("Host service already unregistered");
        }
        host.stop();
    }
}
