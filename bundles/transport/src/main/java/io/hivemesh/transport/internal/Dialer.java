package io.hivemesh.transport.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * Dials a peer through its addresses: concurrent dials of one peer share one attempt; addresses
 * are filtered, deduplicated and ranked as {@link DialAddresses} says (loopback, private and
 * link-local, public; IPv6 and IPv4 interleaved), DNS names resolved asynchronously by the
 * {@link AddressResolver}, and socket addresses tried in staggered parallel (RFC 8305 style): the
 * first attempt starts at once, each next one after {@link DialerSettings#staggerDelay()} or as
 * soon as an attempt fails, at most {@link DialerSettings#maxParallel()} at a time and at most
 * {@link DialerSettings#maxAddresses()} in all. The first connection wins; every other attempt is
 * cancelled and a connection that still arrives is handed to {@code discard}. The dial fails when
 * every address failed or at {@link DialerSettings#deadline()}, with a
 * {@link io.hivemesh.api.HivemeshException} naming the peer, each address tried with its error,
 * those still connecting or not tried at the deadline, those not resolved and those dropped with
 * the reason.
 *
 * <p>Never blocks: {@link #dial} only records state and schedules; attempts start, futures
 * complete and {@code discard} runs in tasks of the {@link Scheduler}, so resolver and connection
 * callbacks on a Netty event loop do nothing but update state. Thread-safe.
 *
 * @param <C> the connection type
 */
public final class Dialer<C> {
    /** One attempt: a TCP connect to one socket address and the upgrade, expecting one peer. */
    @FunctionalInterface
    public interface Attempt<C> {
        /**
         * Starts connecting to {@code target}; must not block. The future completes with the
         * upgraded connection to {@code expected} or fails with the reason. When the dialer
         * cancels the future (another attempt won, or the deadline passed), the attempt must stop
         * and close whatever connection it still makes.
         */
        CompletableFuture<C> attempt(InetSocketAddress target, PeerId expected);
    }

    private final Attempt<C> attempt;
    private final Consumer<C> discard;
    private final AddressResolver resolver;
    private final Scheduler scheduler;
    private final DialerSettings settings;
    private final ConcurrentMap<PeerId, PeerDial<C>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param attempt one connect + upgrade
     * @param discard closes a connection that arrived after another had won (must not block)
     * @param resolver resolves {@code /dns*} addresses
     * @param scheduler runs the timers, the attempts' start and the futures' completion
     * @param settings deadline, stagger, limits ({@link DialerSettings#DEFAULTS})
     */
    public Dialer(Attempt<C> attempt, Consumer<C> discard, AddressResolver resolver, Scheduler scheduler,
            DialerSettings settings) {
        this.attempt = Objects.requireNonNull(attempt, "attempt");
        this.discard = Objects.requireNonNull(discard, "discard");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Dials {@code peer} through {@code addresses}. While a dial of {@code peer} is in flight, a
     * further call joins it (its new addresses are added to it) instead of dialing again; the
     * deadline runs from the first call.
     *
     * <p>Each call gets its own future, completed with the shared outcome on a scheduler thread;
     * cancelling it detaches only that caller and does not stop the dial (which ends by success,
     * failure of every address, or the deadline).
     *
     * @return the connection, or a failed future with a {@link io.hivemesh.api.HivemeshException}
     */
    public CompletableFuture<C> dial(PeerId peer, List<Multiaddr> addresses) {
        Objects.requireNonNull(peer, "peer");
        List<Multiaddr> list = List.copyOf(addresses);
        while (true) {
            PeerDial<C> current = inFlight.get(peer);
            if (current != null) {
                if (current.offer(list)) {
                    return current.result().copy();
                }
                inFlight.remove(peer, current);
                continue;
            }
            PeerDial<C> fresh = new PeerDial<>(peer, attempt, discard, resolver, scheduler, settings,
                    d -> inFlight.remove(peer, d));
            if (inFlight.putIfAbsent(peer, fresh) == null) {
                CompletableFuture<C> view = fresh.result().copy();
                fresh.start(list);
                return view;
            }
        }
    }

    /** The number of peers being dialed now. */
    public int dialsInFlight() {
        return inFlight.size();
    }
}
