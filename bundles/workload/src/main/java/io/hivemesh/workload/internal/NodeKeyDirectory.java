package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.KeyInfo;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.NodeKeys;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.InvalidRecordException;
import io.hivemesh.api.routing.ValueStore;
import io.hivemesh.protocol.MachineMessage.NodeKeysRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * This node's public keys in the DHT, and every other node's. {@link #start()} publishes this node's
 * {@link NodeKeysRecord} (current KEM key, ML-DSA-65 key if any) under {@link NodeKeysRecords#key},
 * republishes it at half its TTL, and checks {@link NodeKeys} every poll interval to republish at
 * once (with a higher sequence) after a KEM rotation. A put that fails, or that no remote peer took
 * yet, is retried with exponential backoff and logged; it never fails {@link #start()}.
 *
 * <p>{@link #lookup} finds another node's record: from a cache (an entry lives until the record
 * expires, at most the cache age), else from the DHT, verified again here; concurrent lookups of one
 * peer share one DHT query. Thread-safe.
 */
public final class NodeKeyDirectory implements AutoCloseable {
    /** {@link KeyInfo#algorithm()} of the hybrid KEM keys published. */
    public static final String KEM_ALGORITHM = "X25519+ML-KEM-768";
    /** {@link KeyInfo#algorithm()} of the ML-DSA key published when the node has one. */
    public static final String MLDSA_ALGORITHM = "ML-DSA-65";

    private static final Logger LOG = LoggerFactory.getLogger(NodeKeyDirectory.class);

    /**
     * @param ttl lifetime of a published record (republished at half)
     * @param pollInterval how often {@link NodeKeys} is checked for a rotated KEM key
     * @param cacheMaxAge longest a looked-up record is used without asking the DHT again
     * @param retryMin first wait before retrying a failed put (doubling)
     * @param retryMax longest wait between put retries
     * @param maxCached most records cached
     */
    record Settings(Duration ttl, Duration pollInterval, Duration cacheMaxAge, Duration retryMin, Duration retryMax,
                    int maxCached) {
        static final Settings DEFAULTS = new Settings(Duration.ofHours(24), Duration.ofSeconds(60),
                Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofMinutes(5), 10_000);

        Settings {
            if (ttl.toMillis() < 2 || ttl.compareTo(NodeKeysValidator.MAX_LIFETIME) > 0) {
                throw new IllegalArgumentException("key record TTL " + ttl + " must be positive and at most "
                        + NodeKeysValidator.MAX_LIFETIME);
            }
            for (Duration d : List.of(pollInterval, cacheMaxAge, retryMin, retryMax)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("node key directory: durations must be positive, not " + d);
                }
            }
            if (maxCached < 1) {
                throw new IllegalArgumentException("node key directory: maxCached must be positive, not " + maxCached);
            }
        }
    }

    private record Cached(NodeKeysRecord record, long untilMillis) {
    }

    private final ValueStore values;
    private final NodeIdentity identity;
    private final NodeKeys nodeKeys;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Settings settings;
    private final NodeKeysValidator validator;
    private final byte[] ownKey;
    private final Map<PeerId, CompletableFuture<NodeKeysRecord>> inflight = new ConcurrentHashMap<>();
    private final Map<PeerId, Cached> cache;

    private final Object lock = new Object();
    private volatile NodeKeysRecord current;
    private byte[] currentValue;
    private boolean started;
    private boolean closed;
    private ScheduledFuture<?> republish;
    private ScheduledFuture<?> poll;
    private ScheduledFuture<?> retry;

    public NodeKeyDirectory(ValueStore values, NodeIdentity identity, NodeKeys nodeKeys, Clock clock,
                            ScheduledExecutorService executor) {
        this(values, identity, nodeKeys, clock, executor, Settings.DEFAULTS);
    }

    NodeKeyDirectory(ValueStore values, NodeIdentity identity, NodeKeys nodeKeys, Clock clock,
                     ScheduledExecutorService executor, Settings settings) {
        this.values = Objects.requireNonNull(values, "values");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.nodeKeys = Objects.requireNonNull(nodeKeys, "nodeKeys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.settings = settings;
        this.validator = new NodeKeysValidator(clock);
        this.ownKey = NodeKeysRecords.key(identity.peerId());
        int max = settings.maxCached();
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PeerId, Cached> e) {
                return size() > max;
            }
        };
    }

    /**
     * Publishes this node's record now and starts republishing and watching for KEM rotation.
     *
     * @throws WorkloadException if this node has no KEM key to publish
     * @throws IllegalStateException if started twice or after {@link #close()}
     */
    public void start() {
        synchronized (lock) {
            if (started || closed) {
                throw new IllegalStateException(closed ? "node key directory is closed" : "node key directory already started");
            }
            started = true;
        }
        publish("start");
        long every = settings.pollInterval().toMillis();
        synchronized (lock) {
            if (!closed) {
                poll = executor.scheduleWithFixedDelay(this::pollQuietly, every, every, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** This node's record as last published. */
    public NodeKeysRecord current() {
        NodeKeysRecord r = current;
        if (r == null) {
            throw new IllegalStateException("node key directory not started: no record of this node yet");
        }
        return r;
    }

    /**
     * Republishes at once if the current KEM key (or the ML-DSA key) differs from the published
     * record's; what the poll runs. Returns whether it republished.
     */
    boolean refresh() {
        NodeKeysRecord published = current;
        if (published == null) {
            return false;
        }
        List<KeyInfo> keys = nodeKeys.publicKeys();
        if (Arrays.equals(kemKey(keys), published.kemPublicKey()) && Arrays.equals(mlDsaKey(keys), published.mlDsaPublicKey())) {
            return false;
        }
        publish("KEM key rotated");
        return true;
    }

    /**
     * {@code peer}'s current record: this node's own, a cached one, or the DHT's after verification.
     * Fails with a {@link WorkloadException} naming the peer and why (none in the DHT, the lookup
     * failed, the record does not verify).
     */
    public CompletableFuture<NodeKeysRecord> lookup(PeerId peer) {
        Objects.requireNonNull(peer, "peer");
        NodeKeysRecord own = current;
        if (own != null && peer.equals(own.node())) {
            return CompletableFuture.completedFuture(own);
        }
        Optional<NodeKeysRecord> hit = cached(peer);
        if (hit.isPresent()) {
            return CompletableFuture.completedFuture(hit.get());
        }
        CompletableFuture<NodeKeysRecord> mine = new CompletableFuture<>();
        CompletableFuture<NodeKeysRecord> running = inflight.putIfAbsent(peer, mine);
        if (running != null) {
            return running.copy();
        }
        fetch(peer).whenComplete((r, e) -> {
            inflight.remove(peer, mine);
            if (e != null) {
                mine.completeExceptionally(unwrap(e));
            } else {
                remember(r);
                mine.complete(r);
            }
        });
        return mine.copy();
    }

    /** Stops republishing and polling; pending lookups fail. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            for (ScheduledFuture<?> f : Arrays.asList(republish, poll, retry)) {
                if (f != null) {
                    f.cancel(false);
                }
            }
        }
        WorkloadException closing = new WorkloadException("node key directory closed");
        inflight.values().forEach(f -> f.completeExceptionally(closing));
    }

    // ---------------------------------------------------------------- publishing

    private void publish(String reason) {
        byte[] value;
        synchronized (lock) {
            if (closed) {
                return;
            }
            NodeKeysRecord record = newRecord(current);
            value = NodeKeysRecords.sign(record, identity);
            current = record;
            currentValue = value;
            cancel(republish);
            cancel(retry);
            republish = schedule(this::republishQuietly, settings.ttl().toMillis() / 2);
            LOG.info("publishing node keys (sequence {}, KEM key {} bytes, ML-DSA key {} bytes): {}", record.sequence(),
                    record.kemPublicKey().length, record.mlDsaPublicKey().length, reason);
        }
        put(value, 0);
    }

    private NodeKeysRecord newRecord(NodeKeysRecord previous) {
        List<KeyInfo> keys = nodeKeys.publicKeys();
        long now = clock.millis();
        long sequence = previous == null ? now : Math.max(now, previous.sequence() + 1);
        return new NodeKeysRecord(identity.peerId(), kemKey(keys), mlDsaKey(keys), sequence, now,
                now + settings.ttl().toMillis());
    }

    /** Puts {@code value} unless closed or superseded; under the lock so that nothing is put after {@link #close()}. */
    private void put(byte[] value, int attempt) {
        CompletableFuture<Integer> done;
        synchronized (lock) {
            if (closed || value != currentValue) {
                return;
            }
            try {
                done = values.put(ownKey, value);
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e);
            }
        }
        done.whenComplete((peers, e) -> afterPut(value, attempt, peers, e == null ? null : unwrap(e)));
    }

    private void afterPut(byte[] value, int attempt, Integer peers, Throwable failure) {
        synchronized (lock) {
            if (closed || value != currentValue) {
                return;
            }
            if (failure == null && peers != null && peers > 0) {
                LOG.debug("node keys published to {} peers", peers);
                return;
            }
            long delay = backoff(attempt);
            if (failure != null) {
                LOG.warn("cannot publish node keys to the DHT (attempt {}): {}; retrying in {} ms", attempt + 1,
                        failure.getMessage(), delay);
            } else {
                LOG.debug("node keys stored locally but no DHT peer took them yet; retrying in {} ms", delay);
            }
            retry = schedule(() -> put(value, attempt + 1), delay);
        }
    }

    private long backoff(int attempt) {
        long min = settings.retryMin().toMillis();
        long max = settings.retryMax().toMillis();
        return attempt >= 62 ? max : Math.min(max, min << Math.min(attempt, 30));
    }

    /** The republish at half the TTL; if the record cannot even be built, tries again after the longest retry wait. */
    private void republishQuietly() {
        try {
            publish("refresh at half the TTL");
        } catch (RuntimeException e) {
            LOG.warn("cannot republish node keys: {}; trying again in {}", e.getMessage(), settings.retryMax());
            synchronized (lock) {
                if (!closed) {
                    republish = schedule(this::republishQuietly, settings.retryMax().toMillis());
                }
            }
        }
    }

    private void pollQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("cannot check this node's KEM key for rotation: {}", e.getMessage());
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("node key directory: executor shut down, not scheduling");
            return null;
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private static byte[] kemKey(List<KeyInfo> keys) {
        KeyInfo first = null;
        for (KeyInfo k : keys) {
            if (KEM_ALGORITHM.equals(k.algorithm())) {
                if (k.current()) {
                    return k.publicKey();
                }
                first = first == null ? k : first;
            }
        }
        if (first == null) {
            throw new WorkloadException("this node has no " + KEM_ALGORITHM + " key to publish; its keys are "
                    + keys.stream().map(KeyInfo::algorithm).toList());
        }
        return first.publicKey();
    }

    private static byte[] mlDsaKey(List<KeyInfo> keys) {
        for (KeyInfo k : keys) {
            if (MLDSA_ALGORITHM.equals(k.algorithm()) && k.current()) {
                return k.publicKey();
            }
        }
        return new byte[0];
    }

    // ---------------------------------------------------------------- lookups

    private CompletableFuture<NodeKeysRecord> fetch(PeerId peer) {
        byte[] key = NodeKeysRecords.key(peer);
        CompletableFuture<Optional<byte[]>> found;
        try {
            found = values.get(key, 1);
        } catch (RuntimeException e) {
            found = CompletableFuture.failedFuture(e);
        }
        return found.handle((value, e) -> {
            if (e != null) {
                Throwable cause = unwrap(e);
                throw new WorkloadException("keys of " + peer + ": DHT lookup failed: " + cause.getMessage(), cause);
            }
            if (value.isEmpty()) {
                throw new WorkloadException("keys of " + peer + ": no valid key record in the DHT");
            }
            try {
                return validator.check(key, value.get());
            } catch (InvalidRecordException ex) {
                throw new WorkloadException("keys of " + peer + ": record refused: " + ex.getMessage(), ex);
            }
        });
    }

    private Optional<NodeKeysRecord> cached(PeerId peer) {
        synchronized (cache) {
            Cached c = cache.get(peer);
            if (c == null) {
                return Optional.empty();
            }
            if (clock.millis() >= c.untilMillis()) {
                cache.remove(peer);
                return Optional.empty();
            }
            return Optional.of(c.record());
        }
    }

    private void remember(NodeKeysRecord r) {
        long until = Math.min(r.expiresMillis(), clock.millis() + settings.cacheMaxAge().toMillis());
        synchronized (cache) {
            cache.put(r.node(), new Cached(r, until));
        }
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
