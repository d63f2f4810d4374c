package io.hivemesh.pubsub.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSubEvent;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.ValidationResult;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An in-memory gossipsub network for tests: routers (and "raw" peers driven by the test itself) joined
 * by links, RPCs carried through one FIFO queue that {@link #drain()} empties deterministically (each
 * RPC is encoded and decoded on the way, as the real network glue does), a manual clock and seeded
 * randomness. Every RPC sent is checked against the size limit. Validators' callbacks re-enter the
 * routers through the same queue.
 */
final class MemoryGossipNet {

    /** A sent RPC as the network saw it. */
    record Sent(PeerId from, PeerId to, RPC rpc) {
    }

    /** Decides per RPC whether the link loses it (return the RPC to deliver, or null to lose it). */
    interface Filter {
        RPC apply(PeerId from, PeerId to, RPC rpc);
    }

    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    final Random random;
    final GossipSettings settings;
    final List<Node> nodes = new ArrayList<>();
    final Map<PeerId, Node> byId = new HashMap<>();
    final List<Sent> sent = new ArrayList<>();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final Set<List<PeerId>> links = new HashSet<>();
    Filter filter = (from, to, rpc) -> rpc;

    MemoryGossipNet(GossipSettings settings, long seed) {
        this.settings = settings;
        this.random = new Random(seed);
    }

    /** One node: a router with its recording listener, or a raw peer whose inbox the test reads. */
    final class Node implements GossipNetwork, RouterListener {
        final Ed25519TestSigning signing;
        final PeerId id;
        final ZeroScoringForTests scoring = new ZeroScoringForTests();
        final List<PubSubMessage> delivered = new ArrayList<>();
        final List<PubSubEvent> events = new ArrayList<>();
        final List<PeerId> exchanged = new ArrayList<>();
        /** The signed peer record that came with each {@link #exchanged} peer (empty if none). */
        final List<byte[]> exchangedRecords = new ArrayList<>();
        /** What {@link #signedPeerRecord} answers: the records this node's "peer store" holds. */
        final Map<PeerId, byte[]> records = new HashMap<>();
        final List<Sent> inbox = new ArrayList<>();
        final List<String> dropped = new ArrayList<>();
        Function<PubSubMessage, ValidationResult> verdicts = m -> ValidationResult.ACCEPT;
        /** When set, validations are parked here instead of answered. */
        List<Consumer<ValidationResult>> parked;
        GossipRouter router;

        Node(Ed25519TestSigning signing) {
            this.signing = signing;
            this.id = signing.peerId();
        }

        @Override
        public boolean send(PeerId peer, RPC rpc) {
            if (rpc.getSerializedSize() > settings.maxRpcBytes()) {
                throw new AssertionError("RPC of " + rpc.getSerializedSize() + " bytes over " + settings.maxRpcBytes());
            }
            if (!links.contains(List.of(id, peer))) {
                return false;
            }
            sent.add(new Sent(id, peer, rpc));
            RPC kept = filter.apply(id, peer, rpc);
            if (kept != null) {
                byte[] wire = kept.toByteArray();
                queue.add(() -> receive(id, peer, wire));
            }
            return true;
        }

        @Override
        public java.util.Optional<byte[]> signedPeerRecord(PeerId peer) {
            return java.util.Optional.ofNullable(records.get(peer));
        }

        @Override
        public void dropPeer(PeerId peer, String reason) {
            dropped.add(peer + ": " + reason);
        }

        @Override
        public void deliver(PubSubMessage message) {
            delivered.add(message);
        }

        @Override
        public void event(PubSubEvent event) {
            events.add(event);
        }

        @Override
        public void peerExchange(PeerId peer, byte[] signedPeerRecord) {
            exchanged.add(peer);
            exchangedRecords.add(signedPeerRecord);
        }

        long deliveredCount(byte[] messageId) {
            return delivered.stream().filter(m -> java.util.Arrays.equals(m.id(), messageId)).count();
        }

        /** RPCs this raw node received from {@code from}. */
        List<RPC> from(PeerId from) {
            return inbox.stream().filter(s -> s.from().equals(from)).map(Sent::rpc).toList();
        }
    }

    private void receive(PeerId from, PeerId to, byte[] wire) {
        Node n = byId.get(to);
        RPC rpc;
        try {
            rpc = RPC.parseFrom(wire);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        if (n.router != null) {
            n.router.handleRpc(from, rpc);
        } else {
            n.inbox.add(new Sent(from, to, rpc));
        }
    }

    /** A node with a router using the net's settings. */
    Node router() {
        return router(settings);
    }

    Node router(GossipSettings s) {
        return router(s, new Ed25519TestSigning());
    }

    Node router(GossipSettings s, Ed25519TestSigning key) {
        Node n = raw(key);
        MessageValidator validator = (from, m, done) -> {
            if (n.parked != null) {
                n.parked.add(done);
            } else {
                done.accept(n.verdicts.apply(m));
            }
        };
        n.router = new GossipRouter(n.id, s, n, n.scoring, n.signing, validator, n, clock::get,
                new Random(random.nextLong()), queue::add);
        return n;
    }

    /** A peer without a router: the test reads its inbox and sends RPCs for it. */
    Node raw() {
        return raw(new Ed25519TestSigning());
    }

    Node raw(Ed25519TestSigning key) {
        Node n = new Node(key);
        nodes.add(n);
        byId.put(n.id, n);
        return n;
    }

    /** Connects {@code a} (dialer) and {@code b} on {@code protocol}. */
    void connect(Node a, Node b, String protocol) {
        links.add(List.of(a.id, b.id));
        links.add(List.of(b.id, a.id));
        if (a.router != null) {
            a.router.addPeer(b.id, protocol, "127.0.0.1", true);
        }
        if (b.router != null) {
            b.router.addPeer(a.id, protocol, "127.0.0.1", false);
        }
        drain();
    }

    void connect(Node a, Node b) {
        connect(a, b, PeerState.MESHSUB_12);
    }

    boolean connected(Node a, Node b) {
        return links.contains(List.of(a.id, b.id));
    }

    /** {@code from} (a raw node) sends {@code rpc} to {@code to}; delivered at the next drain. */
    void inject(Node from, Node to, RPC rpc) {
        from.send(to.id, rpc);
        drain();
    }

    /** Runs queued deliveries and tasks until none is left (bounded). */
    void drain() {
        for (int i = 0; i < 5_000_000; i++) {
            Runnable r = queue.poll();
            if (r == null) {
                return;
            }
            r.run();
        }
        throw new AssertionError("the network did not go quiet within 5 000 000 steps");
    }

    /** Advances the clock by one heartbeat interval and runs every router's heartbeat, {@code n} times. */
    void heartbeats(int n) {
        for (int i = 0; i < n; i++) {
            clock.addAndGet(settings.heartbeatInterval().toMillis());
            for (Node node : nodes) {
                if (node.router != null) {
                    node.router.heartbeat();
                }
            }
            drain();
        }
    }

    void advance(long millis) {
        clock.addAndGet(millis);
    }

    List<Node> routers() {
        return nodes.stream().filter(n -> n.router != null).toList();
    }
}
