package io.hivemesh.pubsub.internal;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.Signer;
import io.hivemesh.api.discovery.ConnectionManager;
import io.hivemesh.api.discovery.Discovery;
import io.hivemesh.api.net.ConnectionEvents;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.ProtocolHandler;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.pubsub.PubSubEvent;
import io.hivemesh.api.pubsub.PublishResult;
import io.hivemesh.api.pubsub.Subscription;
import io.hivemesh.api.pubsub.TopicValidator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DS shell of gossipsub: builds a {@link PubSubService} from the configuration ({@link PubSubConfig.Config},
 * PID {@value PubSubConfig#PID}) over the {@link Host}, registers its stream handler on the protocol
 * whiteboard for every id of {@link HostGossipNetwork#PROTOCOLS} (limits as service properties), and
 * provides {@link PubSub}. Binds the {@link TopicValidator} whiteboard (property
 * {@value TopicValidator#TOPIC}, one or several topics), takes peers offered by peer exchange
 * ({@link PeerExchangeIntake}: their signed records into the peer store, then to {@link Discovery})
 * and protects mesh peers under the tag "pubsub" with the {@link ConnectionManager}
 * when those optional services are present. A configuration change restarts the component (the
 * router's state is soft: meshes re-form within a few heartbeats).
 */
@Component(service = PubSub.class, immediate = true, configurationPid = PubSubConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PubSubConfig.Config.class)
public final class PubSubComponent implements PubSub {
    private static final Logger LOG = LoggerFactory.getLogger(PubSubComponent.class);

    private final PubSubService service;
    private final ServiceRegistration<ProtocolHandler> handlerRegistration;
    private final Map<TopicValidator, List<String>> validators = new ConcurrentHashMap<>();
    private final AtomicReference<Discovery> discovery = new AtomicReference<>();
    private final AtomicReference<ConnectionManager> connections = new AtomicReference<>();
    private final MeshProtection protection = new MeshProtection(connections::get);
    private final Listening protectionListening;

    @Activate
    public PubSubComponent(BundleContext context, PubSubConfig.Config config, @Reference Host host,
            @Reference ConnectionEvents events, @Reference NodeIdentity identity, @Reference Signer signer) {
        GossipSettings settings = PubSubConfig.settings(config);
        this.service = new PubSubService(host, events, new IdentitySigning(identity, signer), settings,
                PubSubConfig.networkSettings(config), PubSubConfig.scoring(config));
        validators.forEach((v, topics) -> topics.forEach(t -> service.addValidator(t, v)));
        service.onPeerExchange(new PeerExchangeIntake(host.peerStore(), discovery::get));
        this.protectionListening = service.listen(protection);
        service.start();
        Dictionary<String, Object> props = new Hashtable<>(HostGossipNetwork.limitProperties(settings.maxRpcBytes()));
        props.put(ProtocolHandler.PROTOCOL, HostGossipNetwork.PROTOCOLS.toArray(String[]::new));
        this.handlerRegistration = context.registerService(ProtocolHandler.class, service.handler(), props);
    }

    @Deactivate
    void deactivate() {
        try {
            handlerRegistration.unregister();
        } catch (IllegalStateException alreadyGone) {
            LOG.debug("pubsub protocol handler already unregistered");
        }
        protectionListening.close();
        service.stop();
    }

    // ---------------------------------------------------------------- whiteboard and optional services

    @Reference(service = TopicValidator.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + TopicValidator.TOPIC + "=*)")
    void bindValidator(TopicValidator v, Map<String, Object> props) {
        List<String> topics = PubSubConfig.strings(props.get(TopicValidator.TOPIC));
        validators.put(v, topics);
        PubSubService s = service;
        if (s != null) {
            topics.forEach(t -> s.addValidator(t, v));
        }
    }

    void unbindValidator(TopicValidator v, Map<String, Object> props) {
        List<String> topics = validators.remove(v);
        PubSubService s = service;
        if (topics != null && s != null) {
            topics.forEach(t -> s.removeValidator(t, v));
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDiscovery(Discovery d) {
        discovery.set(d);
    }

    void unbindDiscovery(Discovery d) {
        discovery.compareAndSet(d, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConnectionManager(ConnectionManager cm) {
        connections.set(cm);
        protection.bound(cm);
    }

    void unbindConnectionManager(ConnectionManager cm) {
        connections.compareAndSet(cm, null);
    }

    // ---------------------------------------------------------------- PubSub

    @Override
    public Subscription subscribe(String topic) {
        return service.subscribe(topic);
    }

    @Override
    public Subscription subscribe(String topic, int capacity) {
        return service.subscribe(topic, capacity);
    }

    @Override
    public CompletableFuture<PublishResult> publish(String topic, byte[] data) {
        return service.publish(topic, data);
    }

    @Override
    public Set<String> topics() {
        return service.topics();
    }

    @Override
    public List<PeerId> peers(String topic) {
        return service.peers(topic);
    }

    @Override
    public List<PeerId> peers() {
        return service.peers();
    }

    @Override
    public List<PeerId> mesh(String topic) {
        return service.mesh(topic);
    }

    @Override
    public java.util.Optional<io.hivemesh.api.pubsub.PubSubStats> stats() {
        return service.stats();
    }

    @Override
    public double score(PeerId peer) {
        return service.score(peer);
    }

    @Override
    public Listening listen(Consumer<PubSubEvent> listener) {
        return service.listen(listener);
    }
}
