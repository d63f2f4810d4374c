package io.hivemesh.dht.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiaddrProtocol;
import io.hivemesh.api.net.AddressSource;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.ProtocolLimits;
import io.hivemesh.api.net.RequestHandler;
import io.hivemesh.api.net.RequestResponse;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.dht.internal.proto.DhtProto.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHT over the transport's protocol layer: outbound requests through {@link RequestResponse}
 * (one stream per request, as js does; timeouts reset the stream), inbound requests through a
 * {@link RequestHandler} that the transport serves on the DHT's bounded executor (so the stores'
 * fsyncs never run on an event loop), any number per stream, each message at most
 * {@link #MAX_MESSAGE} bytes. A peer that sends a malformed or refused message loses that stream.
 */
public final class HostKadNetwork implements KadNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(HostKadNetwork.class);
    /** Largest Kademlia message accepted or sent (records are at most 64 KiB; js caps messages at 4 MiB). */
    static final int MAX_MESSAGE = 1024 * 1024;

    private final Host host;
    private final RequestResponse requests;
    private final String protocol;
    private final Duration timeout;

    public HostKadNetwork(Host host, RequestResponse requests, String protocol, Duration timeout) {
        this.host = host;
        this.requests = requests;
        this.protocol = protocol;
        this.timeout = timeout;
    }

    /** The limits the DHT's handler registers with (service properties of {@link ProtocolLimits}). */
    public static Map<String, Object> limitProperties() {
        return Map.of(ProtocolLimits.PROP_MAX_MESSAGE_BYTES, MAX_MESSAGE,
                ProtocolLimits.PROP_IDLE_TIMEOUT_MS, 60_000,
                ProtocolLimits.PROP_INBOUND_STREAMS_PER_PEER, 32,
                ProtocolLimits.PROP_OUTBOUND_STREAMS_PER_PEER, 16,
                ProtocolLimits.PROP_HANDLER_THREADS, 2,
                ProtocolLimits.PROP_HANDLER_QUEUE, 512);
    }

    /** {@link #limitProperties()} as limits. */
    public static ProtocolLimits limits() {
        return ProtocolLimits.defaults().with(limitProperties());
    }

    @Override
    public PeerId self() {
        return host.peerId();
    }

    @Override
    public List<Multiaddr> selfAddresses() {
        return host.listenAddresses();
    }

    @Override
    public CompletableFuture<Message> request(PeerId peer, Message request) {
        return requests.request(peer, List.of(protocol), request.toByteArray(), timeout)
                .thenApply(bytes -> DhtCodec.decodeBody(bytes, 0, bytes.length));
    }

    @Override
    public CompletableFuture<Void> send(PeerId peer, Message message) {
        return requests.send(peer, List.of(protocol), message.toByteArray(), timeout);
    }

    @Override
    public CompletableFuture<Boolean> ping(PeerId peer) {
        return host.ping(peer).thenApply(rtt -> true).exceptionally(e -> false);
    }

    @Override
    public List<Multiaddr> addresses(PeerId peer) {
        return host.peerStore().addresses(peer);
    }

    @Override
    public void learnAddresses(PeerId peer, List<Multiaddr> addresses) {
        List<Multiaddr> dialable = addresses.stream().filter(HostKadNetwork::dialable).toList();
        if (!dialable.isEmpty() && !peer.equals(self())) {
            host.peerStore().addAddresses(peer, dialable, AddressSource.THIRD_PARTY);
        }
    }

    /** A TCP address without /p2p (the host adds the peer id itself). */
    static boolean dialable(Multiaddr a) {
        List<Multiaddr.Component> cs = a.components();
        return cs.size() == 2 && cs.get(1).protocol() == MultiaddrProtocol.TCP
                && (cs.get(0).protocol() == MultiaddrProtocol.IP4 || cs.get(0).protocol() == MultiaddrProtocol.IP6);
    }

    @Override
    public boolean isServer(PeerId peer) {
        return host.peerStore().protocols(peer).contains(protocol);
    }

    /**
     * The inbound handler: each request decoded (bounded) and answered by the node; a refusal or a
     * malformed message fails the future, so the transport resets that stream.
     */
    public static RequestHandler handler(Supplier<KadNode> node) {
        return (from, bytes) -> {
            KadNode n = node.get();
            if (n == null) {
                return CompletableFuture.failedFuture(new DhtProtocolException("DHT not running"));
            }
            Message msg;
            try {
                msg = DhtCodec.decodeBody(bytes, 0, bytes.length);
            } catch (DhtProtocolException e) {
                LOG.debug("malformed DHT message from {}: {}", from, e.getMessage());
                return CompletableFuture.failedFuture(e);
            }
            KadNode.Handled h = n.handle(from, msg);
            if (h.refusal() != null) {
                return CompletableFuture.failedFuture(new DhtProtocolException(h.refusal()));
            }
            return CompletableFuture.completedFuture(h.reply().map(Message::toByteArray).orElse(null));
        };
    }
}
