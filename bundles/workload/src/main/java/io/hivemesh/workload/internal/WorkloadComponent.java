package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.CapabilityService;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.NodeKeys;
import io.hivemesh.api.crypto.Sealer;
import io.hivemesh.api.crypto.SecretSharing;
import io.hivemesh.api.crypto.Signer;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.ProtocolHandler;
import io.hivemesh.api.net.ProtocolLimits;
import io.hivemesh.api.net.RequestHandler;
import io.hivemesh.api.net.RequestResponse;
import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.routing.ContentRouting;
import io.hivemesh.api.routing.ValueStore;
import io.hivemesh.api.runtime.RuntimeEngines;
import io.hivemesh.protocol.MachineCodec;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The machine plane as a DS component: a thin shell that opens the store under
 * {@code ${karaf.data}/hivemesh/workload/}, starts the node key directory, assembles the
 * {@link MachineNode} over the host, pubsub, DHT, crypto services and runtime engines, registers
 * the {@value io.hivemesh.workload.internal.MachineTransport#PROTOCOL} handler and offers the
 * {@link WorkloadService} to the shell. A configuration change restarts it (state is on disk).
 */
@Component(service = {}, immediate = true, configurationPid = WorkloadConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = WorkloadConfig.Config.class)
public final class WorkloadComponent {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadComponent.class);

    private final AtomicReference<ContentRouting> routing = new AtomicReference<>();
    private final ScheduledThreadPoolExecutor executor;
    private final NodeKeyDirectory keys;
    private final MachineNode node;
    private final ServiceRegistration<RequestHandler> handler;
    private final ServiceRegistration<WorkloadService> service;
    private final ServiceRegistration<io.hivemesh.api.workload.MachinePlane> plane;
    private volatile boolean stopped;

    @Activate
    public WorkloadComponent(BundleContext context, WorkloadConfig.Config config, @Reference Host host,
                             @Reference RequestResponse requests, @Reference PubSub pubsub,
                             @Reference Signer signer, @Reference Sealer sealer, @Reference SecretSharing sharing,
                             @Reference CapabilityService capabilities, @Reference NodeIdentity identity,
                             @Reference NodeKeys nodeKeys, @Reference ValueStore values,
                             @Reference RuntimeEngines engines) {
        AtomicInteger n = new AtomicInteger();
        executor = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "hivemesh-workload-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        Clock clock = Clock.systemUTC();
        MachineSettings settings = WorkloadConfig.settings(config);
        WorkloadStore store = WorkloadStore.open(dataDir(context));
        store.problems().forEach(p -> LOG.warn("workload store: {}", p));
        keys = new NodeKeyDirectory(values, identity, nodeKeys, clock, executor);
        CapacityProbe probe = CapacityProbe.forThisMachine(config.capacity__cpu__millis(),
                config.capacity__memory__bytes(), config.reserve__percent());
        HostMachineTransport transport = new HostMachineTransport(host, requests, pubsub);
        Misbehaviour misbehaviour = new Misbehaviour(clock, 10, 60_000, peer -> host.disconnect(peer));
        AtomicReference<MachineNode> self = new AtomicReference<>();
        KeyLookup lookup = peer -> keys.lookup(peer).thenApply(r -> r.kemPublicKey())
                .exceptionallyCompose(e -> self.get().askKeys(peer).thenApply(r -> r.kemPublicKey()));
        node = MachineNodes.create(new MachineNodes.Services(transport, signer, sealer, sharing, capabilities,
                lookup, store, probe::measure, engines, routing::get, clock, executor, settings, misbehaviour));
        self.set(node);
        node.serveKeys(keys::current);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ProtocolHandler.PROTOCOL, MachineTransport.PROTOCOL);
        props.put(ProtocolLimits.PROP_MAX_MESSAGE_BYTES, MachineCodec.MAX_MESSAGE_BYTES + 64 * 1024);
        props.put(ProtocolLimits.PROP_HANDLER_THREADS, 4);
        handler = context.registerService(RequestHandler.class, transport.requestHandler(), props);
        // Off the activating thread: SCR activates this component inside the service events of the
        // services it needs, and the reconciliation with the runtime (podman) and the first key
        // publication take a while; other listeners of those events must not wait for them.
        executor.execute(() -> {
            if (stopped) {
                return;
            }
            try {
                keys.start();
                node.start();
            } catch (RuntimeException e) {
                LOG.error("the machine plane did not start: {}", e.toString(), e);
            }
        });
        service = context.registerService(WorkloadService.class, new WorkloadService(node), null);
        plane = context.registerService(io.hivemesh.api.workload.MachinePlane.class, new TenantMachinePlane(node), null);
        LOG.info("machine plane started: tenant {}, capacity {}, data in {}", settings.tenant(), probe.measure(),
                dataDir(context));
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        plane.unregister();
        service.unregister();
        node.close();
        handler.unregister();
        keys.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindRouting(ContentRouting r) {
        routing.set(r);
    }

    void unbindRouting(ContentRouting r) {
        routing.compareAndSet(r, null);
    }

    private static Path dataDir(BundleContext context) {
        String karafData = context.getProperty("karaf.data");
        File base = karafData != null ? new File(karafData, "hivemesh") : context.getDataFile("");
        return base.toPath().resolve("workload");
    }
}
