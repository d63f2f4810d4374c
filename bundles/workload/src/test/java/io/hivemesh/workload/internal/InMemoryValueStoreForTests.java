package io.hivemesh.workload.internal;

import io.hivemesh.api.routing.InvalidRecordException;
import io.hivemesh.api.routing.RecordValidator;
import io.hivemesh.api.routing.ValueStore;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DHT of one namespace in memory: {@link #put} runs the validator (as every DHT node does) and
 * keeps the value beside those other "peers" hold; {@link #get} validates every held value again
 * (expiry moves on), drops the invalid ones and returns the one the validator selects. Tests can
 * make puts or gets fail, hold gets until released, plant values no validator saw (a peer that lies)
 * or serve raw bytes without validation (a broken DHT). Thread-safe.
 */
final class InMemoryValueStoreForTests implements ValueStore {
    private final RecordValidator validator;
    private final Map<String, List<byte[]>> held = new ConcurrentHashMap<>();
    private final AtomicInteger putCalls = new AtomicInteger();
    private final AtomicInteger stored = new AtomicInteger();
    private final AtomicInteger taken = new AtomicInteger();
    private final AtomicInteger getCalls = new AtomicInteger();
    private final AtomicInteger failPuts = new AtomicInteger();
    private volatile int acceptingPeers = 1;
    private volatile boolean failGets;
    private volatile CompletableFuture<Void> getGate;
    private volatile byte[] raw;

    InMemoryValueStoreForTests(RecordValidator validator) {
        this.validator = validator;
    }

    @Override
    public CompletableFuture<Integer> put(byte[] key, byte[] value) {
        putCalls.incrementAndGet();
        if (failPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("simulated DHT outage"));
        }
        try {
            validator.validate(key, value);
        } catch (InvalidRecordException e) {
            return CompletableFuture.failedFuture(e);
        }
        plant(key, value);
        stored.incrementAndGet();
        int peers = acceptingPeers;
        if (peers > 0) {
            taken.incrementAndGet();
        }
        return CompletableFuture.completedFuture(peers);
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key, int quorum) {
        getCalls.incrementAndGet();
        CompletableFuture<Void> gate = getGate;
        return gate == null ? CompletableFuture.supplyAsync(() -> lookup(key)) : gate.thenApply(v -> lookup(key));
    }

    private Optional<byte[]> lookup(byte[] key) {
        if (failGets) {
            throw new IllegalStateException("simulated lookup timeout");
        }
        if (raw != null) {
            return Optional.of(raw.clone());
        }
        List<byte[]> valid = new ArrayList<>();
        for (byte[] v : held.getOrDefault(hex(key), List.of())) {
            try {
                validator.validate(key, v);
                valid.add(v);
            } catch (InvalidRecordException e) {
                // a peer's stale or forged value: ignored, as the DHT does
            }
        }
        return valid.isEmpty() ? Optional.empty() : Optional.of(valid.get(validator.select(key, valid)).clone());
    }

    /** Stores {@code value} under {@code key} without validating it (another peer's copy). */
    void plant(byte[] key, byte[] value) {
        held.computeIfAbsent(hex(key), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(value.clone());
    }

    /** Every get returns {@code value} as is, unvalidated (null: back to normal). */
    void serveRaw(byte[] value) {
        raw = value;
    }

    /** The next {@code n} puts fail. */
    void failNextPuts(int n) {
        failPuts.set(n);
    }

    /** How many remote peers a successful put reports. */
    void acceptingPeers(int n) {
        acceptingPeers = n;
    }

    void failGets(boolean fail) {
        failGets = fail;
    }

    /** Gets wait for {@code gate} to complete (null: answer at once). */
    void holdGets(CompletableFuture<Void> gate) {
        getGate = gate;
    }

    int putCalls() {
        return putCalls.get();
    }

    /** Puts that validated and were stored. */
    int stored() {
        return stored.get();
    }

    /** Puts that validated and that some remote peer took. */
    int taken() {
        return taken.get();
    }

    int getCalls() {
        return getCalls.get();
    }

    private static String hex(byte[] key) {
        return HexFormat.of().formatHex(key);
    }
}
