package io.hivemesh.pubsub.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.Subscription;
import io.hivemesh.api.pubsub.ValidationResult;
import io.hivemesh.transport.internal.HostConfig;
import io.hivemesh.transport.internal.Libp2pHost;
import io.hivemesh.transport.internal.TestIdentity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Java gossipsub node for the integration tests: a real {@link Libp2pHost} on 127.0.0.1 with a
 * {@link PubSubService} (settings: message id from ‖ seqno, the same function the js peer is started
 * with; own publications not delivered locally; otherwise the defaults, among them the component's
 * default peer scoring, which scores invalid messages on every topic), and a collector of what its
 * subscriptions delivered. Every node is on 127.0.0.1: no test puts more peers on one address than
 * the IP colocation thresholds allow (10 on both sides by default).
 */
final class JavaNode implements AutoCloseable {
    final TestIdentity identity = new TestIdentity();
    final TamperingSigning signing = new TamperingSigning(identity);
    final Libp2pHost host;
    final PubSubService pubsub;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final Map<String, List<PubSubMessage>> delivered = new HashMap<>();

    JavaNode() {
        this(GossipSettings.defaults().toBuilder()
                .messageIdFunction(MessageIdFunction.FROM_SEQNO)
                .emitSelf(false)
                .build());
    }

    JavaNode(GossipSettings settings) {
        host = new Libp2pHost(identity, HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))));
        host.start();
        pubsub = new PubSubService(host, host.events(), signing, settings); // the component's default scoring
        for (String p : HostGossipNetwork.PROTOCOLS) {
            host.addHandler(p, pubsub.handler(), HostGossipNetwork.limits(HostGossipNetwork.MAX_FRAME));
        }
        pubsub.start();
    }

    PeerId peerId() {
        return host.peerId();
    }

    Multiaddr address() {
        return host.listenAddresses().get(0);
    }

    String fullAddress() {
        return address() + "/p2p/" + peerId();
    }

    void connect(PeerId peer, Multiaddr address) throws Exception {
        host.connect(Multiaddr.parse(address + "/p2p/" + peer)).get(20, TimeUnit.SECONDS);
    }

    void connect(JavaNode other) throws Exception {
        connect(other.peerId(), other.address());
    }

    boolean connectedTo(PeerId peer) {
        return host.connections().stream().anyMatch(c -> c.remotePeer().equals(peer) && c.isOpen());
    }

    synchronized void subscribe(String topic) {
        subscriptions.put(topic, pubsub.subscribe(topic));
        delivered.put(topic, new ArrayList<>());
    }

    /** Closes this node's subscription to {@code topic} (the node leaves it: the only subscription). */
    synchronized void unsubscribe(String topic) {
        subscriptions.remove(topic).close();
    }

    /** Registers a validator on {@code topic} that rejects messages whose data starts with {@code prefix}. */
    void rejectDataStartingWith(String topic, String prefix) {
        pubsub.addValidator(topic, (from, m) -> CompletableFuture.completedFuture(
                new String(m.data(), StandardCharsets.UTF_8).startsWith(prefix) ? ValidationResult.REJECT
                        : ValidationResult.ACCEPT));
    }

    /** Everything the subscription to {@code topic} delivered so far, in order (repeats included). */
    synchronized List<PubSubMessage> messages(String topic) {
        Subscription s = subscriptions.get(topic);
        List<PubSubMessage> got = delivered.get(topic);
        if (s == null) {
            return List.copyOf(got);
        }
        for (Optional<PubSubMessage> m = s.poll(); m.isPresent(); m = s.poll()) {
            got.add(m.get());
        }
        if (s.dropped() > 0) {
            throw new AssertionError(peerId() + ": the subscription to " + topic + " dropped " + s.dropped() + " messages");
        }
        return List.copyOf(got);
    }

    List<String> texts(String topic) {
        return messages(topic).stream().map(m -> new String(m.data(), StandardCharsets.UTF_8)).toList();
    }

    /** Waits (bounded) until a message with {@code text} was delivered on {@code topic}, and returns it. */
    PubSubMessage awaitMessage(String topic, String text, long seconds) throws Exception {
        Waits.until(() -> peerId() + " delivers '" + text + "' on " + topic, seconds, () -> find(topic, text).isPresent());
        return find(topic, text).orElseThrow();
    }

    private Optional<PubSubMessage> find(String topic, String text) {
        return messages(topic).stream().filter(m -> new String(m.data(), StandardCharsets.UTF_8).equals(text)).findFirst();
    }

    @Override
    public void close() {
        pubsub.stop();
        host.stop();
    }
}
