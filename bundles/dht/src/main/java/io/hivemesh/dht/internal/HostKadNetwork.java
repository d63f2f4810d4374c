package io.hivemesh.dht.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiaddrProtocol;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.ProtocolHandler;
import io.hivemesh.api.net.Stream;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.dht.internal.proto.DhtProto.Message;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHT over the libp2p {@link Host}: one stream per outbound request (as js does), and the
 * inbound {@link ProtocolHandler} that serves any number of requests per stream. A peer that sends a
 * malformed, oversized or refused message loses that stream (reset), never more.
 */
public final class HostKadNetwork implements KadNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(HostKadNetwork.class);
    /** How long addresses learnt from DHT messages stay in the peer store. */
    static final Duration ADDRESS_TTL = Duration.ofHours(1);

    private final Host host;
    private final String protocol;

    public HostKadNetwork(Host host, String protocol) {
        this.host = host;
        this.protocol = protocol;
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
        return host.newStream(peer, List.of(protocol)).thenCompose(s -> s.write(ByteBuffer.wrap(DhtCodec.encode(request)))
                .thenCompose(v -> new StreamFrames(s).next())
                .thenApply(reply -> {
                    s.close();
                    return reply.orElseThrow(() -> new DhtProtocolException(peer + " closed the stream without a reply"));
                })
                .whenComplete((r, e) -> {
                    if (e != null) {
                        s.reset();
                    }
                }));
    }

    @Override
    public CompletableFuture<Void> send(PeerId peer, Message message) {
        return host.newStream(peer, List.of(protocol)).thenCompose(s -> s.write(ByteBuffer.wrap(DhtCodec.encode(message)))
                .thenCompose(v -> s.closeWrite())
                .whenComplete((r, e) -> {
                    if (e != null) {
                        s.reset();
                    } else {
                        s.close();
                    }
                }));
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
            host.peerStore().addAddresses(peer, dialable, ADDRESS_TTL);
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

    /** The inbound handler: serves requests on a stream until the remote closes it. */
    public static ProtocolHandler handler(Supplier<KadNode> node) {
        return stream -> serve(node, stream, new StreamFrames(stream));
    }

    private static void serve(Supplier<KadNode> node, Stream stream, StreamFrames frames) {
        frames.next().whenComplete((msg, err) -> {
            if (err != null) {
                LOG.debug("DHT stream from {} reset: {}", stream.remotePeer(), err.getMessage());
                stream.reset();
                return;
            }
            if (msg.isEmpty()) {
                stream.close();
                return;
            }
            KadNode n = node.get();
            if (n == null) {
                stream.reset();
                return;
            }
            KadNode.Handled h = n.handle(stream.remotePeer(), msg.get());
            if (h.refusal() != null) {
                LOG.info("DHT request from {} refused: {}", stream.remotePeer(), h.refusal());
                stream.reset();
                return;
            }
            if (h.reply().isEmpty()) {
                serve(node, stream, frames);
                return;
            }
            stream.write(ByteBuffer.wrap(DhtCodec.encode(h.reply().get()))).whenComplete((v, e) -> {
                if (e != null) {
                    stream.reset();
                } else {
                    serve(node, stream, frames);
                }
            });
        });
    }
}
