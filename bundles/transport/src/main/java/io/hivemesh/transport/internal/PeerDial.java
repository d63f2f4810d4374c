package io.hivemesh.transport.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dial of one peer by a {@link Dialer}: resolves the addresses, ranks the socket addresses as
 * {@link DialAddresses} says, runs staggered parallel attempts and completes {@link #result()} with
 * the first connection or a failure naming every address and its outcome.
 *
 * <p>Thread-safe: state changes happen under this object's lock, which is never held while calling
 * out (attempts, resolver, scheduler, discard, futures). Attempts are started, the result
 * completed and late connections discarded in {@link Scheduler} tasks, so callbacks arriving on a
 * Netty event loop only update state.
 */
final class PeerDial<C> {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDial.class);

    private enum State { QUEUED, RUNNING, FAILED, CANCELLED, WON, OVER_LIMIT }

    /** One socket address to try, and what became of it. */
    private static final class Candidate<C> {
        final String label;
        final InetSocketAddress socket;
        final int scope;
        final int familyIndex;
        final boolean ipv6;
        final long order;
        State state = State.QUEUED;
        String error;
        CompletableFuture<C> attempt;

        Candidate(String label, InetSocketAddress socket, int scope, int familyIndex, long order) {
            this.label = label;
            this.socket = socket;
            this.scope = scope;
            this.familyIndex = familyIndex;
            this.ipv6 = socket.getAddress() instanceof Inet6Address;
            this.order = order;
        }
    }

    /** Scope, then happy-eyeballs interleaving (n-th of its family, IPv6 before IPv4), then arrival. */
    private static final Comparator<Candidate<?>> RANK = Comparator.<Candidate<?>>comparingInt(c -> c.scope)
            .thenComparingInt(c -> c.familyIndex)
            .thenComparingInt(c -> c.ipv6 ? 0 : 1)
            .thenComparingLong(c -> c.order);

    private final PeerId peer;
    private final Dialer.Attempt<C> attemptFunction;
    private final Consumer<C> discard;
    private final AddressResolver resolver;
    private final Scheduler scheduler;
    private final DialerSettings settings;
    private final Consumer<PeerDial<C>> onDone;
    private final CompletableFuture<C> result = new CompletableFuture<>();

    // guarded by this
    private final Set<Multiaddr> seenAddresses = new HashSet<>();
    private final Set<InetSocketAddress> seenSockets = new HashSet<>();
    private final Map<String, String> dropped = new LinkedHashMap<>();
    private final Map<String, String> unresolved = new LinkedHashMap<>();
    private final Map<Multiaddr, CompletableFuture<List<InetSocketAddress>>> resolving = new LinkedHashMap<>();
    private final List<String> notConsidered = new ArrayList<>();
    private final List<Candidate<C>> candidates = new ArrayList<>();
    private final PriorityQueue<Candidate<C>> queue = new PriorityQueue<>(RANK);
    private final int[] familyCounts = new int[6];
    private int considered;
    private int running;
    private boolean staggerElapsed = true;
    private long staggerGeneration;
    private Scheduler.Timer staggerTimer;
    private Scheduler.Timer deadlineTimer;
    private boolean done;

    PeerDial(PeerId peer, Dialer.Attempt<C> attemptFunction, Consumer<C> discard, AddressResolver resolver,
            Scheduler scheduler, DialerSettings settings, Consumer<PeerDial<C>> onDone) {
        this.peer = peer;
        this.attemptFunction = attemptFunction;
        this.discard = discard;
        this.resolver = resolver;
        this.scheduler = scheduler;
        this.settings = settings;
        this.onDone = onDone;
    }

    /** Completed, on a scheduler thread, with the winning connection or the dial's failure. */
    CompletableFuture<C> result() {
        return result;
    }

    /** Starts the deadline and dials {@code addresses}. */
    void start(List<Multiaddr> addresses) {
        Scheduler.Timer timer = scheduler.schedule(this::deadlinePassed, settings.deadline());
        synchronized (this) {
            deadlineTimer = timer;
        }
        offer(addresses);
    }

    /**
     * Adds {@code addresses} to the dial (those already known are ignored).
     *
     * @return false if the dial is already over (the addresses were not taken)
     */
    boolean offer(List<Multiaddr> addresses) {
        List<Multiaddr> toResolve = new ArrayList<>();
        List<Runnable> actions = new ArrayList<>();
        synchronized (this) {
            if (done) {
                return false;
            }
            for (Multiaddr a : addresses) {
                Multiaddr transport;
                try {
                    transport = DialAddresses.dialable(a, peer);
                } catch (HivemeshException e) {
                    dropped.putIfAbsent(a.toString(), e.getMessage());
                    continue;
                }
                if (!seenAddresses.add(transport)) {
                    continue;
                }
                if (considered >= settings.maxAddresses()) {
                    notConsidered.add(transport.toString());
                    continue;
                }
                considered++;
                InetSocketAddress literal = DialAddresses.literal(transport);
                if (literal != null) {
                    addCandidate(transport.toString(), literal);
                } else {
                    toResolve.add(transport);
                    resolving.put(transport, null);
                }
            }
            pump(actions);
        }
        run(actions);
        for (Multiaddr name : toResolve) {
            CompletableFuture<List<InetSocketAddress>> f;
            try {
                f = resolver.resolve(name);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            synchronized (this) {
                if (resolving.containsKey(name)) {
                    resolving.put(name, f);
                }
            }
            f.whenComplete((list, e) -> resolved(name, list, e));
        }
        return true;
    }

    private void resolved(Multiaddr name, List<InetSocketAddress> sockets, Throwable error) {
        List<Runnable> actions = new ArrayList<>();
        synchronized (this) {
            if (done || !resolving.containsKey(name)) {
                return;
            }
            resolving.remove(name);
            if (error != null) {
                unresolved.put(name.toString(), message(error));
            } else {
                int added = 0;
                for (InetSocketAddress s : sockets) {
                    if (DialAddresses.dialableResolved(s) && addCandidate(name + " (" + DialAddresses.text(s) + ")", s)) {
                        added++;
                    }
                }
                if (added == 0) {
                    unresolved.put(name.toString(), "resolved to " + sockets.stream().map(DialAddresses::text).toList()
                            + ", none of them new and dialable");
                }
            }
            pump(actions);
        }
        run(actions);
    }

    // guarded by this
    private boolean addCandidate(String label, InetSocketAddress socket) {
        if (!seenSockets.add(socket)) {
            return false;
        }
        int scope = DialAddresses.scope(socket.getAddress());
        int family = scope * 2 + (socket.getAddress() instanceof Inet6Address ? 0 : 1);
        Candidate<C> c = new Candidate<>(label, socket, scope, familyCounts[family]++, candidates.size());
        candidates.add(c);
        if (candidates.size() > settings.maxAddresses()) {
            c.state = State.OVER_LIMIT;
        } else {
            queue.add(c);
        }
        return true;
    }

    /** Starts the next attempt if the stagger allows it, or fails the dial if nothing is left. */
    // guarded by this
    private void pump(List<Runnable> actions) {
        if (done) {
            return;
        }
        if (staggerElapsed && running < settings.maxParallel() && !queue.isEmpty()) {
            Candidate<C> c = queue.poll();
            c.state = State.RUNNING;
            running++;
            staggerElapsed = false;
            long generation = ++staggerGeneration;
            Scheduler.Timer previous = staggerTimer;
            actions.add(() -> {
                if (previous != null) {
                    previous.cancel();
                }
                Scheduler.Timer t = scheduler.schedule(() -> staggerPassed(generation), settings.staggerDelay());
                synchronized (this) {
                    if (generation == staggerGeneration && !done) {
                        staggerTimer = t;
                        return;
                    }
                }
                t.cancel();
            });
            actions.add(() -> scheduler.execute(() -> launch(c)));
        } else if (running == 0 && queue.isEmpty() && resolving.isEmpty()) {
            finish(actions, null, false);
        }
    }

    private void staggerPassed(long generation) {
        List<Runnable> actions = new ArrayList<>();
        synchronized (this) {
            if (generation != staggerGeneration) {
                return;
            }
            staggerElapsed = true;
            pump(actions);
        }
        run(actions);
    }

    private void launch(Candidate<C> c) {
        synchronized (this) {
            if (done) {
                return;
            }
        }
        CompletableFuture<C> f;
        try {
            f = attemptFunction.attempt(c.socket, peer);
            if (f == null) {
                f = CompletableFuture.failedFuture(new HivemeshException("the attempt function returned no future"));
            }
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        boolean cancel;
        synchronized (this) {
            c.attempt = f;
            cancel = done;
        }
        if (cancel) {
            f.cancel(true);
        }
        f.whenComplete((conn, e) -> attemptDone(c, conn, e));
    }

    private void attemptDone(Candidate<C> c, C connection, Throwable error) {
        List<Runnable> actions = new ArrayList<>();
        synchronized (this) {
            if (done || c.state != State.RUNNING) {
                if (error == null && connection != null) {
                    actions.add(() -> scheduler.execute(() -> discard.accept(connection)));
                }
            } else if (error == null && connection != null) {
                c.state = State.WON;
                running--;
                finish(actions, connection, false);
            } else {
                c.state = State.FAILED;
                c.error = error == null ? "the attempt completed without a connection" : message(error);
                LOG.debug("dial {} at {} failed: {}", peer, c.label, c.error);
                running--;
                staggerElapsed = true;
                pump(actions);
            }
        }
        run(actions);
    }

    private void deadlinePassed() {
        List<Runnable> actions = new ArrayList<>();
        synchronized (this) {
            if (done) {
                return;
            }
            finish(actions, null, true);
        }
        run(actions);
    }

    /** Ends the dial: success if {@code winner} is set, else a failure built from the outcomes. */
    // guarded by this
    private void finish(List<Runnable> actions, C winner, boolean deadline) {
        done = true;
        HivemeshException failure = winner == null ? failure(deadline) : null;
        List<CompletableFuture<?>> toCancel = new ArrayList<>();
        for (Candidate<C> c : candidates) {
            if (c.state == State.RUNNING) {
                c.state = State.CANCELLED;
                if (c.attempt != null) {
                    toCancel.add(c.attempt);
                }
            }
        }
        toCancel.addAll(resolving.values().stream().filter(f -> f != null).toList());
        Scheduler.Timer stagger = staggerTimer;
        Scheduler.Timer dl = deadlineTimer;
        staggerGeneration++;
        actions.add(() -> {
            if (stagger != null) {
                stagger.cancel();
            }
            if (dl != null && !deadline) {
                dl.cancel();
            }
            for (CompletableFuture<?> f : toCancel) {
                f.cancel(true);
            }
            onDone.accept(this);
            scheduler.execute(() -> {
                if (failure == null) {
                    result.complete(winner);
                } else {
                    result.completeExceptionally(failure);
                }
            });
        });
    }

    // guarded by this
    private HivemeshException failure(boolean deadline) {
        StringBuilder sb = new StringBuilder("cannot dial ").append(peer).append(": ");
        if (deadline) {
            sb.append("no connection within the ").append(settings.deadline().toMillis()).append(" ms deadline");
        } else if (candidates.isEmpty() && unresolved.isEmpty()) {
            sb.append(dropped.isEmpty() && notConsidered.isEmpty() ? "no address given" : "no dialable address");
        } else {
            sb.append("every address failed");
        }
        section(sb, "tried", candidates.stream().filter(c -> c.state == State.FAILED)
                .map(c -> c.label + ": " + c.error).toList());
        section(sb, "still connecting at the deadline", candidates.stream()
                .filter(c -> c.state == State.RUNNING).map(c -> c.label).toList());
        section(sb, "not tried before the deadline", concat(
                candidates.stream().filter(c -> c.state == State.QUEUED).map(c -> c.label).toList(),
                resolving.keySet().stream().map(a -> a + " (not resolved yet)").toList()));
        section(sb, "not resolved", unresolved.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
        section(sb, "not tried, over the limit of " + settings.maxAddresses() + " addresses", concat(notConsidered,
                candidates.stream().filter(c -> c.state == State.OVER_LIMIT).map(c -> c.label).toList()));
        section(sb, "dropped", dropped.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
        return new HivemeshException(sb.toString());
    }

    private static void section(StringBuilder sb, String title, List<String> items) {
        if (!items.isEmpty()) {
            sb.append("; ").append(title).append(": ").append(String.join("; ", items));
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    private static void run(List<Runnable> actions) {
        for (Runnable r : actions) {
            r.run();
        }
    }
}
