package io.hivemesh.pubsub.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.MessageStream;
import io.hivemesh.api.net.ProtocolLimits;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlGraft;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlMessage;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import io.hivemesh.transport.internal.HostConfig;
import io.hivemesh.transport.internal.Libp2pHost;
import io.hivemesh.transport.internal.TestIdentity;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A hand-driven gossipsub peer for hostile-peer tests (a mock of nothing: a real libp2p host that
 * speaks {@code /meshsub/1.2.0} framing, but sends exactly the RPCs the test tells it to). It serves
 * {@code /meshsub/1.2.0} so the node under test can open its stream to it, records every RPC the node
 * sends, and writes raw RPCs on a stream it opens itself.
 */
final class RawGossipPeer implements AutoCloseable {
    static final String MESHSUB = "/meshsub/1.2.0";
    /** Gossip streams live as long as the connection: no idle timeout; js's 4 MiB frame maximum. */
    static final ProtocolLimits LIMITS = new ProtocolLimits(4 * 1024 * 1024, Duration.ofSeconds(10), Duration.ZERO,
            2, 2, 16, 1, 16);

    final TestIdentity identity = new TestIdentity();
    final Libp2pHost host;
    private final ConcurrentLinkedQueue<RPC> received = new ConcurrentLinkedQueue<>();
    private volatile MessageStream out;

    RawGossipPeer() {
        host = new Libp2pHost(identity, HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))));
        host.addHandler(MESHSUB, this::readAll, LIMITS);
        host.start();
    }

    PeerId peerId() {
        return host.peerId();
    }

    /** Connects to {@code target} at {@code address} and opens this peer's outbound gossip stream. */
    void connect(PeerId target, Multiaddr address) throws Exception {
        host.connect(address).get(20, TimeUnit.SECONDS);
        out = host.newMessageStream(target, List.of(MESHSUB), LIMITS).get(20, TimeUnit.SECONDS);
        readAll(out);
    }

    private void readAll(MessageStream s) {
        s.read().whenComplete((m, e) -> {
            if (e != null || m.isEmpty()) {
                s.close();
                return;
            }
            try {
                received.add(RPC.parseFrom(m.get()));
            } catch (com.google.protobuf.InvalidProtocolBufferException bad) {
                s.reset();
                return;
            }
            readAll(s);
        });
    }

    /** Writes {@code rpc} on the outbound stream and waits (bounded) until the remote's window took it. */
    void send(RPC rpc) throws Exception {
        out.write(ByteBuffer.wrap(rpc.toByteArray())).get(20, TimeUnit.SECONDS);
    }

    void subscribe(String topic) throws Exception {
        send(RPC.newBuilder().addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(topic)).build());
    }

    void graft(String topic) throws Exception {
        send(RPC.newBuilder().setControl(ControlMessage.newBuilder()
                .addGraft(ControlGraft.newBuilder().setTopicID(topic))).build());
    }

    /** Whether any RPC received so far matches. */
    boolean receivedAny(Predicate<RPC> p) {
        return received.stream().anyMatch(p);
    }

    /** The published messages the node sent this peer. */
    List<Message> messages() {
        return received.stream().flatMap(r -> r.getPublishList().stream()).toList();
    }

    @Override
    public void close() {
        host.stop();
    }
}
