package io.hivemesh.pubsub.internal;

import static io.hivemesh.pubsub.internal.PubSubTestNode.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.net.MessageStream;
import io.hivemesh.api.net.Stream;
import io.hivemesh.api.net.StreamResetException;
import io.hivemesh.api.pubsub.PubSubEvent;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.PublishException;
import io.hivemesh.api.pubsub.PublishResult;
import io.hivemesh.api.pubsub.Subscription;
import io.hivemesh.api.pubsub.ValidationResult;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import io.hivemesh.transport.internal.HostConfig;
import io.hivemesh.transport.internal.Libp2pHost;
import io.hivemesh.transport.internal.TestIdentity;
import io.hivemesh.api.multiformats.Multiaddr;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Gossipsub between real libp2p hosts on loopback (TCP, Noise, Yamux, Identify): meshes form,
 * messages cross and are forwarded, hostile streams lose only themselves, subscriptions and
 * validators behave. Every wait is a bounded poll of a condition.
 */
class HostPubSubTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOPIC = "hivemesh-test";

    private final List<AutoCloseable> closing = new ArrayList<>();

    private PubSubTestNode node() {
        PubSubTestNode n = PubSubTestNode.start();
        closing.add(n);
        return n;
    }

    private Libp2pHost rawHost() {
        Libp2pHost h = new Libp2pHost(new TestIdentity(), HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))));
        h.start();
        closing.add(h::stop);
        return h;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(PubSubMessage m) {
        return new String(m.data(), StandardCharsets.UTF_8);
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static RPC subscribeRpc(String topic) {
        return RPC.newBuilder().addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(topic)).build();
    }

    @Test
    void twoNodesFormAMeshAndMessagesCrossBothWays() throws Exception {
        PubSubTestNode a = node();
        PubSubTestNode b = node();
        Subscription sa = a.pubsub.subscribe(TOPIC);
        Subscription sb = b.pubsub.subscribe(TOPIC);
        a.connect(b);
        assertTrue(await(() -> a.pubsub.mesh(TOPIC).contains(b.id()) && b.pubsub.mesh(TOPIC).contains(a.id()), WAIT),
                "mesh formed: a " + a.pubsub.mesh(TOPIC) + ", b " + b.pubsub.mesh(TOPIC));
        assertEquals(List.of(b.id()), a.pubsub.peers(TOPIC));
        assertEquals(List.of(b.id()), a.pubsub.peers());

        PublishResult r = get(a.pubsub.publish(TOPIC, b("hello from a")));
        assertEquals(List.of(b.id()), r.peers());
        PubSubMessage m = sb.take(WAIT).orElseThrow(() -> new AssertionError("b got nothing"));
        assertEquals("hello from a", text(m));
        assertEquals(TOPIC, m.topic());
        assertEquals(Optional.of(a.id()), m.from());
        assertEquals(a.id(), m.receivedFrom());
        assertArrayEquals(r.messageId(), m.id());

        get(b.pubsub.publish(TOPIC, b("hello from b")));
        assertEquals("hello from b", text(sa.take(WAIT).orElseThrow(() -> new AssertionError("a got nothing"))));
        // own publications are not delivered to oneself (emitSelf off)
        assertTrue(sa.poll().isEmpty());
        assertTrue(sb.poll().isEmpty());
    }

    @Test
    void threeNodesInALineForwardThroughTheMiddle() throws Exception {
        PubSubTestNode a = node();
        PubSubTestNode b = node();
        PubSubTestNode c = node();
        a.pubsub.subscribe(TOPIC);
        b.pubsub.subscribe(TOPIC);
        Subscription sc = c.pubsub.subscribe(TOPIC);
        a.connect(b);
        b.connect(c);
        assertTrue(await(() -> b.pubsub.mesh(TOPIC).containsAll(List.of(a.id(), c.id()))
                && a.pubsub.mesh(TOPIC).contains(b.id()) && c.pubsub.mesh(TOPIC).contains(b.id()), WAIT),
                "meshes a-b-c formed: b " + b.pubsub.mesh(TOPIC));
        assertFalse(a.pubsub.peers().contains(c.id()), "a and c are not connected");

        for (int i = 0; i < 5; i++) {
            get(a.pubsub.publish(TOPIC, b("m" + i)));
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PubSubMessage m = sc.take(WAIT).orElseThrow(() -> new AssertionError("c got " + got));
            assertEquals(Optional.of(a.id()), m.from(), "author is a");
            assertEquals(b.id(), m.receivedFrom(), "forwarded by b");
            got.add(text(m));
        }
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), got);
    }

    @Test
    void aResetStreamRemovesThePeerAndANewStreamAddsItAgain() throws Exception {
        PubSubTestNode a = node();
        a.pubsub.subscribe(TOPIC);
        List<PubSubEvent> events = new CopyOnWriteArrayList<>();
        a.pubsub.listen(events::add);
        Libp2pHost raw = rawHost();
        raw.connect(a.address()).get(10, TimeUnit.SECONDS);

        MessageStream s1 = get(raw.newMessageStream(a.id(), List.of(HostGossipNetwork.MESHSUB_V11)));
        get(s1.write(ByteBuffer.wrap(subscribeRpc(TOPIC).toByteArray())));
        assertTrue(await(() -> a.pubsub.peers(TOPIC).contains(raw.peerId()), WAIT), "raw peer joined the topic");
        // a announced its own subscription on the stream it opened... which the raw host cannot serve:
        // only the inbound stream exists, so resetting it removes the peer
        s1.reset();
        assertTrue(await(() -> !a.pubsub.peers().contains(raw.peerId()), WAIT), "peer removed after the reset");
        assertTrue(await(() -> events.contains(new PubSubEvent.PeerLeft(raw.peerId())), WAIT), "PeerLeft reported");

        MessageStream s2 = get(raw.newMessageStream(a.id(), List.of(HostGossipNetwork.MESHSUB_V12)));
        get(s2.write(ByteBuffer.wrap(subscribeRpc(TOPIC).toByteArray())));
        assertTrue(await(() -> a.pubsub.peers(TOPIC).contains(raw.peerId()), WAIT), "peer added again on a new stream");
        assertTrue(await(() -> events.stream().filter(e -> e instanceof PubSubEvent.PeerJoined j
                && j.peer().equals(raw.peerId())).count() == 2, WAIT), "joined twice: " + events);
        assertTrue(events.contains(new PubSubEvent.PeerJoined(raw.peerId(), HostGossipNetwork.MESHSUB_V12)));
    }

    @Test
    void aNewInboundStreamReplacesTheOldOne() throws Exception {
        PubSubTestNode a = node();
        Libp2pHost raw = rawHost();
        raw.connect(a.address()).get(10, TimeUnit.SECONDS);
        MessageStream s1 = get(raw.newMessageStream(a.id(), List.of(HostGossipNetwork.MESHSUB_V12)));
        get(s1.write(ByteBuffer.wrap(subscribeRpc("one").toByteArray())));
        assertTrue(await(() -> a.pubsub.peers("one").contains(raw.peerId()), WAIT));
        MessageStream s2 = get(raw.newMessageStream(a.id(), List.of(HostGossipNetwork.MESHSUB_V12)));
        get(s2.write(ByteBuffer.wrap(subscribeRpc("two").toByteArray())));
        assertTrue(await(() -> a.pubsub.peers("two").contains(raw.peerId()), WAIT));
        // the old stream is closed by a: reading it ends (cleanly or by reset), and the peer stays
        ExecutionException ended = null;
        try {
            assertTrue(get(s1.read()).isEmpty(), "old stream ends");
        } catch (ExecutionException e) {
            ended = e;
        }
        if (ended != null) {
            assertInstanceOf(StreamResetException.class, ended.getCause());
        }
        assertTrue(a.pubsub.peers().contains(raw.peerId()), "peer kept on its new stream");
    }

    @Test
    void oversizedAndUndecodableFramesResetOnlyThatStream() throws Exception {
        PubSubTestNode a = node();
        PubSubTestNode b = node();
        Subscription sb = b.pubsub.subscribe(TOPIC);
        a.pubsub.subscribe(TOPIC);
        a.connect(b);
        assertTrue(await(() -> a.pubsub.mesh(TOPIC).contains(b.id()), WAIT));
        Libp2pHost raw = rawHost();
        raw.connect(a.address()).get(10, TimeUnit.SECONDS);

        // a length prefix of 5 MiB (over the 4 MiB frame limit), then some body bytes
        Stream big = get(raw.newStream(a.id(), List.of(HostGossipNetwork.MESHSUB_V12)));
        get(big.write(ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0xC0, 0x02, 1, 2, 3})));
        assertResetByRemote(big);
        // a well-framed body that is not an RPC (field 1 announcing 100 bytes, 2 present)
        Stream garbage = get(raw.newStream(a.id(), List.of(HostGossipNetwork.MESHSUB_V12)));
        get(garbage.write(ByteBuffer.wrap(new byte[] {3, 0x0A, 100, 1})));
        assertResetByRemote(garbage);
        assertTrue(await(() -> a.pubsub.networkStats().malformedFrames() >= 2, WAIT), "both counted");
        assertTrue(await(() -> !a.pubsub.peers().contains(raw.peerId()), WAIT), "the hostile peer is not a pubsub peer");
        assertTrue(a.pubsub.score(raw.peerId()) < 0, "penalised: " + a.pubsub.score(raw.peerId()));
        assertTrue(a.host.connections().stream().anyMatch(c -> c.remotePeer().equals(raw.peerId())),
                "the connection stays (only the streams were reset)");

        // a still works with b
        get(a.pubsub.publish(TOPIC, b("still fine")));
        assertEquals("still fine", text(sb.take(WAIT).orElseThrow()));
    }

    private static void assertResetByRemote(Stream s) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> {
            while (get(s.read()).isPresent()) {
                // drain until the reset
            }
            throw new AssertionError("stream ended cleanly instead of being reset");
        });
        assertInstanceOf(StreamResetException.class, e.getCause());
    }

    @Test
    void aDisconnectRemovesThePeerAndAReconnectBringsItBack() throws Exception {
        PubSubTestNode a = node();
        PubSubTestNode b = node();
        a.pubsub.subscribe(TOPIC);
        Subscription sb = b.pubsub.subscribe(TOPIC);
        a.connect(b);
        assertTrue(await(() -> a.pubsub.peers(TOPIC).contains(b.id()) && b.pubsub.peers(TOPIC).contains(a.id()), WAIT));
        get(a.host.disconnect(b.id()));
        assertTrue(await(() -> a.pubsub.peers().isEmpty() && b.pubsub.peers().isEmpty(), WAIT),
                "both forgot the other: a " + a.pubsub.peers() + ", b " + b.pubsub.peers());
        assertTrue(a.pubsub.mesh(TOPIC).isEmpty());

        b.connect(a); // the other direction this time: streams open again once identified
        assertTrue(await(() -> a.pubsub.peers(TOPIC).contains(b.id()) && b.pubsub.peers(TOPIC).contains(a.id()), WAIT));
        get(a.pubsub.publish(TOPIC, b("again")));
        assertEquals("again", text(sb.take(WAIT).orElseThrow()));
    }

    @Test
    void aPeerThatStopsReadingFillsOnlyItsOwnQueue() throws Exception {
        // small per-peer queues: 4 RPCs, 64 KiB (frames up to 64 KiB)
        PubSubTestNode a = PubSubTestNode.start(PubSubTestNode.fastSettings(), new HostGossipNetwork.Settings(65_536, 4, 65_536, 3));
        closing.add(a);
        PubSubTestNode b = node();
        Subscription sb = b.pubsub.subscribe(TOPIC);
        a.pubsub.subscribe(TOPIC);
        a.connect(b);
        // a peer that subscribes and then never reads what a sends it (its yamux window fills)
        Libp2pHost stalled = rawHost();
        List<MessageStream> held = new CopyOnWriteArrayList<>();
        stalled.addHandler(HostGossipNetwork.MESHSUB_V12, held::add, HostGossipNetwork.limits(65_536));
        stalled.connect(a.address()).get(10, TimeUnit.SECONDS);
        MessageStream toA = get(stalled.newMessageStream(a.id(), List.of(HostGossipNetwork.MESHSUB_V12)));
        get(toA.write(ByteBuffer.wrap(subscribeRpc(TOPIC).toByteArray())));
        assertTrue(await(() -> a.pubsub.peers(TOPIC).containsAll(List.of(b.id(), stalled.peerId())) && !held.isEmpty(), WAIT),
                "both peers subscribed, a's stream to the stalled peer open");

        byte[] payload = new byte[10_000];
        for (int i = 0; i < 400 && a.pubsub.networkStats().sendRefused() == 0; i++) {
            get(a.pubsub.publish(TOPIC, payload));
        }
        assertTrue(a.pubsub.networkStats().sendRefused() > 0, "the stalled peer's queue overflowed");
        // a keeps serving b: a later message arrives (b's own queue may have dropped some meanwhile)
        boolean arrived = false;
        for (int k = 0; k < 20 && !arrived; k++) {
            get(a.pubsub.publish(TOPIC, b("after " + k)));
            arrived = await(() -> sb.poll().map(m -> text(m).startsWith("after ")).orElse(false)
                    || drainFindsAfter(sb), Duration.ofSeconds(3));
        }
        assertTrue(arrived, "b still gets a's messages");
    }

    private static boolean drainFindsAfter(Subscription s) {
        for (Optional<PubSubMessage> m = s.poll(); m.isPresent(); m = s.poll()) {
            if (text(m.get()).startsWith("after ")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aPeerThatHalfClosesTheStreamWeWriteToStillGetsMessages() throws Exception {
        PubSubTestNode a = node();
        a.pubsub.subscribe(TOPIC);
        Libp2pHost raw = rawHost();
        List<RPC> got = new CopyOnWriteArrayList<>();
        // the raw peer serves meshsub: it half-closes the stream a opens to it at once, then reads it
        AtomicInteger opened = new AtomicInteger();
        raw.addHandler(HostGossipNetwork.MESHSUB_V12, s -> {
            opened.incrementAndGet();
            s.closeWrite().thenRun(() -> readAll(s, got));
        }, HostGossipNetwork.limits(HostGossipNetwork.MAX_FRAME));
        raw.connect(a.address()).get(10, TimeUnit.SECONDS);
        MessageStream toA = get(raw.newMessageStream(a.id(), List.of(HostGossipNetwork.MESHSUB_V12)));
        get(toA.write(ByteBuffer.wrap(subscribeRpc(TOPIC).toByteArray())));
        assertTrue(await(() -> a.pubsub.peers(TOPIC).contains(raw.peerId()), WAIT));
        assertTrue(await(() -> got.stream().anyMatch(r -> r.getSubscriptionsCount() > 0), WAIT), "a announced its topic");
        get(a.pubsub.publish(TOPIC, b("after half-close")));
        assertTrue(await(() -> got.stream().anyMatch(r -> r.getPublishList().stream()
                .anyMatch(m -> m.getData().toStringUtf8().equals("after half-close"))), WAIT), "the message arrived");
        assertTrue(a.pubsub.peers().contains(raw.peerId()));
        assertEquals(1, opened.get(), "a kept writing on its first stream (no reset and reopen)");
    }

    private static void readAll(MessageStream s, List<RPC> into) {
        s.read().whenComplete((m, e) -> {
            if (e == null && m.isPresent()) {
                try {
                    into.add(RPC.parseFrom(m.get()));
                } catch (com.google.protobuf.InvalidProtocolBufferException bad) {
                    s.reset();
                    return;
                }
                readAll(s, into);
            }
        });
    }

    @Test
    void aFullSubscriptionQueueDropsAndCounts() throws Exception {
        PubSubTestNode a = node();
        PubSubTestNode b = node();
        Subscription small = a.pubsub.subscribe(TOPIC, 2);
        Subscription roomy = a.pubsub.subscribe(TOPIC, 16);
        b.pubsub.subscribe(TOPIC);
        a.connect(b);
        assertTrue(await(() -> b.pubsub.mesh(TOPIC).contains(a.id()), WAIT));
        for (int i = 0; i < 5; i++) {
            get(b.pubsub.publish(TOPIC, b("n" + i)));
        }
        assertTrue(await(() -> roomy.queued() == 5, WAIT), "the roomy subscription got all 5");
        assertEquals(2, small.queued());
        assertEquals(3, small.dropped());
        assertEquals(0, roomy.dropped());
        assertEquals("n0", text(small.poll().orElseThrow()));
        assertEquals("n1", text(small.poll().orElseThrow()));
        assertTrue(small.poll().isEmpty());
    }

    @Test
    void aRejectingValidatorStopsDeliveryAndForwardingAndLocalPublishes() throws Exception {
        PubSubTestNode a = node();
        PubSubTestNode b = node();
        PubSubTestNode c = node();
        AtomicInteger asked = new AtomicInteger();
        b.pubsub.addValidator(TOPIC, (from, m) -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(text(m).startsWith("bad") ? ValidationResult.REJECT : ValidationResult.ACCEPT);
        });
        a.pubsub.subscribe(TOPIC);
        Subscription sb = b.pubsub.subscribe(TOPIC);
        Subscription sc = c.pubsub.subscribe(TOPIC);
        a.connect(b);
        b.connect(c);
        assertTrue(await(() -> b.pubsub.mesh(TOPIC).containsAll(List.of(a.id(), c.id()))
                && c.pubsub.mesh(TOPIC).contains(b.id()) && a.pubsub.mesh(TOPIC).contains(b.id()), WAIT));

        get(a.pubsub.publish(TOPIC, b("bad one")));
        get(a.pubsub.publish(TOPIC, b("good one")));
        assertEquals("good one", text(sb.take(WAIT).orElseThrow()));
        assertEquals("good one", text(sc.take(WAIT).orElseThrow()), "c got the good one, forwarded by b");
        assertTrue(await(() -> asked.get() == 2, WAIT), "b's validator saw both: " + asked.get());
        // a later message arrives next: the bad one was neither delivered nor forwarded
        get(a.pubsub.publish(TOPIC, b("good two")));
        assertEquals("good two", text(sb.take(WAIT).orElseThrow()));
        assertEquals("good two", text(sc.take(WAIT).orElseThrow()));
        assertTrue(sb.poll().isEmpty() && sc.poll().isEmpty(), "nothing else arrived");

        ExecutionException e = assertThrows(ExecutionException.class, () -> get(b.pubsub.publish(TOPIC, b("bad local"))));
        assertEquals(PublishException.Reason.REJECTED, assertInstanceOf(PublishException.class, e.getCause()).reason());
    }

    @Test
    void publishFailuresNameTheirReason() throws Exception {
        PubSubTestNode a = node();
        ExecutionException none = assertThrows(ExecutionException.class, () -> get(a.pubsub.publish(TOPIC, b("x"))));
        PublishException p = assertInstanceOf(PublishException.class, none.getCause());
        assertEquals(PublishException.Reason.NO_PEERS, p.reason());
        assertTrue(p.getMessage().contains(TOPIC), p.getMessage());

        ExecutionException big = assertThrows(ExecutionException.class,
                () -> get(a.pubsub.publish(TOPIC, new byte[a.pubsub.settings().maxMessageBytes() + 1])));
        assertEquals(PublishException.Reason.TOO_LARGE, assertInstanceOf(PublishException.class, big.getCause()).reason());

        assertThrows(IllegalArgumentException.class, () -> a.pubsub.subscribe(""));
        a.pubsub.stop();
        ExecutionException stopped = assertThrows(ExecutionException.class, () -> get(a.pubsub.publish(TOPIC, b("x"))));
        assertEquals(PublishException.Reason.NOT_RUNNING, assertInstanceOf(PublishException.class, stopped.getCause()).reason());
    }

    @Test
    void closingTheLastSubscriptionLeavesTheTopic() throws Exception {
        PubSubTestNode a = node();
        PubSubTestNode b = node();
        Subscription s1 = a.pubsub.subscribe(TOPIC);
        Subscription s2 = a.pubsub.subscribe(TOPIC);
        b.pubsub.subscribe(TOPIC);
        a.connect(b);
        assertTrue(await(() -> b.pubsub.peers(TOPIC).contains(a.id()), WAIT));
        CompletableFuture<PubSubMessage> pending = s1.next();
        s1.close();
        assertTrue(pending.isCancelled() || pending.isCompletedExceptionally());
        assertTrue(s1.isClosed());
        assertEquals(java.util.Set.of(TOPIC), a.pubsub.topics(), "s2 still holds the topic");
        s2.close();
        assertTrue(a.pubsub.topics().isEmpty());
        assertTrue(await(() -> !b.pubsub.peers(TOPIC).contains(a.id()), WAIT), "b learned that a left");
    }
}
