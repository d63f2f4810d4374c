package io.hivemesh.transport.internal;

import io.hivemesh.api.net.ResourceManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the resource manager's limits (PID {@value #PID}) to the host's {@link ResourceScopes},
 * at start and live on every change (connections and streams already open stay; new reservations
 * see the new limits). Defaults are sized for this JVM's heap.
 */
@Component(service = {}, immediate = true, configurationPid = LimitsComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = LimitsComponent.Config.class)
public final class LimitsComponent {
    public static final String PID = "io.hivemesh.transport.limits";
    private static final Logger LOG = LoggerFactory.getLogger(LimitsComponent.class);

    @ObjectClassDefinition(name = "Hivemesh libp2p resource limits",
            description = "Connections, streams and buffered bytes the node accepts, in all, per IP, per peer and per"
                    + " connection. Applied live.")
    public @interface Config {
        @AttributeDefinition(name = "System memory (bytes)",
                description = "Bytes all streams and connections may buffer; 0: a quarter of the heap.")
        long system__memory() default 0;

        @AttributeDefinition(name = "Peer memory (bytes)",
                description = "Bytes one peer may make this node buffer; 0: an eighth of the heap.")
        long peer__memory() default 0;

        @AttributeDefinition(name = "Inbound connections", description = "Inbound connections in all.")
        int inbound__connections() default 512;

        @AttributeDefinition(name = "Outbound connections", description = "Outbound connections in all.")
        int outbound__connections() default 512;

        @AttributeDefinition(name = "Connections per IP", description = "Inbound connections from one IP address.")
        int connections__per__ip() default 16;

        @AttributeDefinition(name = "Handshakes", description = "Connections in their handshake at once, each way.")
        int handshakes() default 64;

        @AttributeDefinition(name = "Handshakes per IP", description = "Inbound handshakes from one IP address at once.")
        int handshakes__per__ip() default 8;

        @AttributeDefinition(name = "Connections per peer", description = "Each way.")
        int connections__per__peer() default 8;

        @AttributeDefinition(name = "Streams per peer", description = "Each way, all protocols.")
        int streams__per__peer() default 256;

        @AttributeDefinition(name = "Streams per connection", description = "Each way.")
        int streams__per__connection() default 128;

        @AttributeDefinition(name = "Streams negotiating", description = "Streams still negotiating their protocol, each way.")
        int streams__negotiating() default 256;

        @AttributeDefinition(name = "Streams", description = "Each way, in all.")
        int streams() default 8192;
    }

    private final ResourceScopes scopes;

    @Activate
    public LimitsComponent(Config config, @Reference ResourceManager manager) {
        this.scopes = (ResourceScopes) manager;
        modified(config);
    }

    @Modified
    void modified(Config config) {
        ResourceScopes.Config c = limits(config, Runtime.getRuntime().maxMemory());
        scopes.configure(c);
        LOG.info("libp2p resource limits: system {} MiB, peer {} MiB, {} inbound connections ({} per IP, {} per peer),"
                + " {} streams per peer", c.system().memory() >> 20, c.peer().memory() >> 20,
                c.system().inboundConnections(), c.inboundPerIp(), c.peer().inboundConnections(),
                c.peer().inboundStreams());
    }

    /** The resource limits of a configuration (defaults sized for a heap of {@code maxHeap} bytes). */
    static ResourceScopes.Config limits(Config c, long maxHeap) {
        ResourceScopes.Config d = ResourceScopes.Config.defaults(maxHeap);
        long system = c.system__memory() > 0 ? c.system__memory() : d.system().memory();
        long peer = c.peer__memory() > 0 ? c.peer__memory() : d.peer().memory();
        return new ResourceScopes.Config(
                new ResourceScopes.Limits(system, c.inbound__connections(), c.outbound__connections(), c.streams(),
                        c.streams()),
                new ResourceScopes.Limits(d.transientScope().memory(), c.handshakes(), c.handshakes(),
                        c.streams__negotiating(), c.streams__negotiating()),
                new ResourceScopes.Limits(peer, c.connections__per__peer(), c.connections__per__peer(), c.streams__per__peer(),
                        c.streams__per__peer()),
                new ResourceScopes.Limits(peer, 1, 1, c.streams__per__connection(), c.streams__per__connection()),
                d.stream(), c.connections__per__ip(), c.handshakes__per__ip(), d.connectionBuffer(), d.protocolCap());
    }
}
