package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class DialerTest {
    private static final Duration STAGGER = DialerSettings.DEFAULTS.staggerDelay();
    private static final Duration DEADLINE = DialerSettings.DEFAULTS.deadline();

    private final PeerId peer = new TestIdentity().peerId();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<Call> calls = new ArrayList<>();
    private final List<String> discarded = new ArrayList<>();
    private final FakeResolver resolver = new FakeResolver();

    /** One call of the attempt function. */
    private record Call(InetSocketAddress target, PeerId expected, RecordingFuture future) {
        void succeed(String connection) {
            future.complete(connection);
        }

        void fail(String error) {
            future.completeExceptionally(new HivemeshException(error));
        }
    }

    /** A future that records cancellation, and optionally ignores it (a connect that cannot be stopped). */
    private static final class RecordingFuture extends CompletableFuture<String> {
        final boolean cancellable;
        boolean cancelRequested;

        RecordingFuture(boolean cancellable) {
            this.cancellable = cancellable;
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            cancelRequested = true;
            return cancellable && super.cancel(mayInterrupt);
        }
    }

    /** Resolutions the test completes by hand. */
    private static final class FakeResolver implements AddressResolver {
        final Map<Multiaddr, CompletableFuture<List<InetSocketAddress>>> pending = new HashMap<>();
        final List<Multiaddr> asked = new ArrayList<>();

        @Override
        public CompletableFuture<List<InetSocketAddress>> resolve(Multiaddr address) {
            asked.add(address);
            return pending.computeIfAbsent(address, a -> new CompletableFuture<>());
        }
    }

    private Dialer<String> dialer(DialerSettings settings, boolean cancellable) {
        return new Dialer<>((target, expected) -> {
            RecordingFuture f = new RecordingFuture(cancellable);
            calls.add(new Call(target, expected, f));
            return f;
        }, discarded::add, resolver, scheduler, settings);
    }

    private Dialer<String> dialer() {
        return dialer(DialerSettings.DEFAULTS, true);
    }

    private static Multiaddr ma(String text) {
        return Multiaddr.parse(text);
    }

    private static InetSocketAddress socket(String host, int port) {
        return new InetSocketAddress(host, port);
    }

    private List<InetSocketAddress> targets() {
        return calls.stream().map(Call::target).toList();
    }

    private static String failure(CompletableFuture<?> f) {
        assertTrue(f.isCompletedExceptionally(), "expected the dial to have failed: " + f);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(HivemeshException.class, e.getCause());
        return e.getCause().getMessage();
    }

    @Test
    void concurrentDialsOfOnePeerMakeOneAttemptPerAddress() throws Exception {
        Dialer<String> d = dialer();
        List<Multiaddr> addrs = List.of(ma("/ip4/127.0.0.1/tcp/1"), ma("/ip4/127.0.0.2/tcp/2"));
        CompletableFuture<String> first = d.dial(peer, addrs);
        CompletableFuture<String> second = d.dial(peer, addrs);
        scheduler.advance(STAGGER.multipliedBy(4));

        assertEquals(List.of(socket("127.0.0.1", 1), socket("127.0.0.2", 2)), targets());
        assertEquals(1, d.dialsInFlight());
        calls.get(1).succeed("conn-2");
        scheduler.runDue();
        assertEquals("conn-2", first.get());
        assertEquals("conn-2", second.get());
        assertTrue(calls.get(0).future().isCancelled(), "the losing attempt is cancelled");
        assertEquals(0, d.dialsInFlight());
        assertEquals(peer, calls.get(0).expected());
    }

    @Test
    void aDialAfterTheFirstFinishedDialsAgain() throws Exception {
        Dialer<String> d = dialer();
        List<Multiaddr> addrs = List.of(ma("/ip4/127.0.0.1/tcp/1"));
        CompletableFuture<String> first = d.dial(peer, addrs);
        scheduler.runDue();
        calls.get(0).fail("connection refused");
        scheduler.runDue();
        failure(first);
        CompletableFuture<String> again = d.dial(peer, addrs);
        scheduler.runDue();
        assertEquals(2, calls.size());
        calls.get(1).succeed("c");
        scheduler.runDue();
        assertEquals("c", again.get());
    }

    @Test
    void attemptsStartInRankedOrderAndStaggered() {
        Dialer<String> d = dialer(new DialerSettings(DEADLINE, STAGGER, 8, 16), true);
        d.dial(peer, List.of(ma("/ip4/8.8.8.8/tcp/1"), ma("/ip4/192.168.1.2/tcp/2"), ma("/ip4/127.0.0.1/tcp/3"),
                ma("/ip6/2001:db8::1/tcp/4"), ma("/ip6/::1/tcp/5"), ma("/ip6/fd00::1/tcp/6"), ma("/ip4/10.0.0.1/tcp/7"),
                ma("/ip4/9.9.9.9/tcp/8"), ma("/ip6/2001:db8::2/tcp/9")));
        scheduler.runDue();
        assertEquals(1, calls.size(), "only the first attempt starts at once");
        scheduler.advance(STAGGER.minusNanos(1));
        assertEquals(1, calls.size(), "the second waits for the stagger delay");
        scheduler.advance(Duration.ofNanos(1));
        assertEquals(2, calls.size());
        calls.get(1).fail("connection refused");
        scheduler.runDue();
        assertEquals(3, calls.size(), "a failure starts the next at once");
        scheduler.advance(STAGGER.multipliedBy(20));

        assertEquals(List.of(
                socket("::1", 5), socket("127.0.0.1", 3),                 // loopback, IPv6 first
                socket("fd00::1", 6), socket("192.168.1.2", 2), socket("10.0.0.1", 7), // private, interleaved
                socket("2001:db8::1", 4), socket("8.8.8.8", 1), socket("2001:db8::2", 9), socket("9.9.9.9", 8)),
                targets());
    }

    @Test
    void noMoreThanMaxParallelAttemptsRun() {
        Dialer<String> d = dialer(new DialerSettings(DEADLINE, STAGGER, 2, 16), true);
        d.dial(peer, List.of(ma("/ip4/127.0.0.1/tcp/1"), ma("/ip4/127.0.0.1/tcp/2"), ma("/ip4/127.0.0.1/tcp/3")));
        scheduler.advance(STAGGER.multipliedBy(10));
        assertEquals(2, calls.size());
        calls.get(0).fail("refused");
        scheduler.runDue();
        assertEquals(3, calls.size());
        assertEquals(socket("127.0.0.1", 3), calls.get(2).target());
    }

    @Test
    void firstSuccessWinsAndALateSuccessIsDiscarded() throws Exception {
        Dialer<String> d = dialer(DialerSettings.DEFAULTS, false);
        CompletableFuture<String> f = d.dial(peer, List.of(ma("/ip4/127.0.0.1/tcp/1"), ma("/ip4/127.0.0.1/tcp/2"),
                ma("/ip4/127.0.0.1/tcp/3")));
        scheduler.advance(STAGGER);
        assertEquals(2, calls.size());
        calls.get(1).succeed("winner");
        scheduler.runDue();
        assertEquals("winner", f.get());
        assertTrue(calls.get(0).future().cancelRequested, "the other attempt was asked to stop");
        calls.get(0).succeed("late");
        scheduler.advance(STAGGER.multipliedBy(10));
        assertEquals(List.of("late"), discarded);
        assertEquals(2, calls.size(), "no attempt starts after the win");
        assertEquals(0, scheduler.pending(), "no timer is left behind");
    }

    @Test
    void theDeadlineFailsTheDialNamingEachAddressAndItsOutcome() {
        Dialer<String> d = dialer(new DialerSettings(DEADLINE, STAGGER, 2, 16), true);
        CompletableFuture<String> f = d.dial(peer, List.of(ma("/ip4/127.0.0.1/tcp/1"), ma("/ip4/127.0.0.2/tcp/2"),
                ma("/ip4/127.0.0.3/tcp/3"), ma("/dns4/slow.invalid/tcp/4")));
        scheduler.runDue();
        calls.get(0).fail("connection refused");
        scheduler.runDue();
        calls.get(1).fail("no route to host");
        scheduler.runDue();
        assertEquals(3, calls.size());
        scheduler.advance(STAGGER);
        assertFalse(f.isDone());
        // the third hangs; a fourth address arrives via a second dial and waits behind the limit of 2
        d.dial(peer, List.of(ma("/ip4/127.0.0.5/tcp/5"), ma("/ip4/127.0.0.6/tcp/6")));
        scheduler.runDue();
        assertEquals(4, calls.size());
        scheduler.advance(DEADLINE);

        String m = failure(f);
        assertTrue(m.contains("cannot dial " + peer), m);
        assertTrue(m.contains("10000 ms deadline"), m);
        assertTrue(m.contains("/ip4/127.0.0.1/tcp/1: connection refused"), m);
        assertTrue(m.contains("/ip4/127.0.0.2/tcp/2: no route to host"), m);
        assertTrue(m.contains("still connecting at the deadline: /ip4/127.0.0.3/tcp/3; /ip4/127.0.0.5/tcp/5"), m);
        assertTrue(m.contains("not tried before the deadline: /ip4/127.0.0.6/tcp/6; /dns4/slow.invalid/tcp/4 (not resolved yet)"), m);
        assertTrue(calls.get(2).future().isCancelled());
        assertTrue(calls.get(3).future().isCancelled());
        assertTrue(resolver.pending.get(ma("/dns4/slow.invalid/tcp/4")).isCancelled(), "the resolution is abandoned");
        assertEquals(4, calls.size());
        assertEquals(0, d.dialsInFlight());
    }

    @Test
    void whenEveryAddressFailsTheMessageListsThemAll() {
        Dialer<String> d = dialer();
        CompletableFuture<String> f = d.dial(peer, List.of(ma("/ip4/127.0.0.1/tcp/1"), ma("/dns/gone.invalid/tcp/2")));
        scheduler.runDue();
        resolver.pending.get(ma("/dns/gone.invalid/tcp/2")).completeExceptionally(
                new HivemeshException("cannot resolve gone.invalid: NXDOMAIN"));
        calls.get(0).fail("connection refused");
        scheduler.runDue();
        String m = failure(f);
        assertTrue(m.contains("every address failed"), m);
        assertTrue(m.contains("tried: /ip4/127.0.0.1/tcp/1: connection refused"), m);
        assertTrue(m.contains("not resolved: /dns/gone.invalid/tcp/2: cannot resolve gone.invalid: NXDOMAIN"), m);
    }

    @Test
    void aResolvedNameYieldsOneCandidatePerAddressRanked() throws Exception {
        Dialer<String> d = dialer();
        CompletableFuture<String> f = d.dial(peer, List.of(ma("/dns/node.example/tcp/4001")));
        scheduler.runDue();
        assertEquals(List.of(ma("/dns/node.example/tcp/4001")), resolver.asked);
        assertEquals(0, calls.size(), "nothing to dial before the name resolves");
        resolver.pending.get(ma("/dns/node.example/tcp/4001")).complete(List.of(
                socket("203.0.113.7", 4001), socket("2001:db8::7", 4001), socket("10.1.2.3", 4001)));
        scheduler.advance(STAGGER.multipliedBy(3));
        assertEquals(List.of(socket("10.1.2.3", 4001), socket("2001:db8::7", 4001), socket("203.0.113.7", 4001)),
                targets());
        calls.forEach(c -> c.fail("refused"));
        scheduler.runDue();
        String m = failure(f);
        assertTrue(m.contains("/dns/node.example/tcp/4001 (10.1.2.3:4001): refused"), m);
        assertTrue(m.contains("/dns/node.example/tcp/4001 ([2001:db8::7]:4001): refused"), m);
    }

    @Test
    void addressesAreDeduplicatedAndAMatchingP2pIsKept() {
        Dialer<String> d = dialer();
        d.dial(peer, List.of(ma("/ip4/127.0.0.1/tcp/1"), ma("/ip4/127.0.0.1/tcp/1/p2p/" + peer),
                ma("/ip4/127.0.0.1/tcp/1")));
        scheduler.advance(STAGGER.multipliedBy(4));
        assertEquals(List.of(socket("127.0.0.1", 1)), targets());
    }

    @Test
    void anAddressOfAnotherPeerIsDropped() {
        Dialer<String> d = dialer();
        PeerId other = new TestIdentity().peerId();
        CompletableFuture<String> f = d.dial(peer, List.of(ma("/ip4/127.0.0.9/tcp/9/p2p/" + other),
                ma("/ip4/127.0.0.1/tcp/1")));
        scheduler.advance(STAGGER.multipliedBy(4));
        assertEquals(List.of(socket("127.0.0.1", 1)), targets());
        calls.get(0).fail("refused");
        scheduler.runDue();
        String m = failure(f);
        assertTrue(m.contains("dropped: /ip4/127.0.0.9/tcp/9/p2p/" + other + ": it names another peer, " + other), m);
    }

    @Test
    void unsupportedAddressesAreDroppedWithTheReason() {
        Dialer<String> d = dialer();
        CompletableFuture<String> f = d.dial(peer, List.of(ma("/ip4/127.0.0.1/udp/1/quic-v1"),
                ma("/unix/tmp/p.sock"), ma("/ip4/0.0.0.0/tcp/1"), ma("/ip4/127.0.0.1/tcp/0")));
        scheduler.runDue();
        assertEquals(0, calls.size());
        String m = failure(f);
        assertTrue(m.contains("no dialable address"), m);
        assertTrue(m.contains("/ip4/127.0.0.1/udp/1/quic-v1: unsupported"), m);
        assertTrue(m.contains("/unix/tmp/p.sock: unsupported"), m);
        assertTrue(m.contains("/ip4/0.0.0.0/tcp/1: the unspecified address cannot be dialed"), m);
        assertTrue(m.contains("/ip4/127.0.0.1/tcp/0: TCP port 0 cannot be dialed"), m);
    }

    @Test
    void addressesBeyondTheLimitAreNotTried() {
        Dialer<String> d = dialer(new DialerSettings(DEADLINE, STAGGER, 4, 2), true);
        CompletableFuture<String> f = d.dial(peer, List.of(ma("/ip4/127.0.0.1/tcp/1"), ma("/ip4/127.0.0.1/tcp/2"),
                ma("/ip4/127.0.0.1/tcp/3")));
        scheduler.advance(STAGGER.multipliedBy(4));
        assertEquals(2, calls.size());
        calls.forEach(c -> c.fail("refused"));
        scheduler.runDue();
        String m = failure(f);
        assertTrue(m.contains("not tried, over the limit of 2 addresses: /ip4/127.0.0.1/tcp/3"), m);
    }

    @Test
    void dialDoesNotRunAttemptsOnTheCallingThread() {
        Dialer<String> d = dialer();
        CompletableFuture<String> f = d.dial(peer, List.of(ma("/ip4/127.0.0.1/tcp/1")));
        assertEquals(0, calls.size(), "the attempt starts in a scheduler task");
        assertFalse(f.isDone());
        scheduler.runDue();
        assertEquals(1, calls.size());
        calls.get(0).succeed("c");
        assertFalse(f.isDone(), "the result is completed in a scheduler task, not in the connection's callback");
        scheduler.runDue();
        assertSame("c", f.join());
    }
}
