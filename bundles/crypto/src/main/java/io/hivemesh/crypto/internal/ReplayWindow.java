package io.hivemesh.crypto.internal;

import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.crypto.ReplayGuard;
import io.hivemesh.api.peer.PeerId;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay guard: accepts a timestamp only within {@code ±skew} of the clock, and an
 * (origin, nonce) pair only once per {@code window} (counted from when it was first seen). Seen
 * pairs are kept as SHA-256(origin ‖ nonce) with their expiry, in memory (at most
 * {@code maxEntries}; beyond that it fails closed) and, when a log file is given, appended to it so
 * that they survive a restart. The log is a sequence of 40-byte records (expiry ms, big-endian i64;
 * 32-byte hash); a torn last record is ignored on load; the file is compacted (rewritten atomically
 * with only live records) when it holds more than twice the live records. With {@code sync} each
 * record is forced to disk before the nonce is accepted (survives power loss, costs an fsync);
 * without it a record survives a crash or restart of the process but not of the machine.
 * Thread-safe (one lock).
 */
final class ReplayWindow implements ReplayGuard, Closeable {
    static final int RECORD = 40;
    private static final Logger LOG = LoggerFactory.getLogger(ReplayWindow.class);

    private final Clock clock;
    private final Duration skew;
    private final Duration window;
    private final int maxEntries;
    private final Path logFile;
    private final boolean sync;
    private final LinkedHashMap<Key, Long> seen = new LinkedHashMap<>();
    private FileChannel log;
    private long logRecords;

    ReplayWindow(Clock clock, Duration skew, Duration window, int maxEntries, Path logFile, boolean sync) {
        if (skew.isNegative() || window.compareTo(skew.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the replay window (" + window + ") must be at least twice the"
                    + " clock skew (" + skew + "), or a nonce could be forgotten while its timestamp is still accepted");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.clock = clock;
        this.skew = skew;
        this.window = window;
        this.maxEntries = maxEntries;
        this.logFile = logFile;
        this.sync = sync;
        if (logFile != null) {
            load();
        }
    }

    /** An in-memory guard (tests, benchmarks). */
    ReplayWindow(Clock clock, Duration skew, Duration window, int maxEntries) {
        this(clock, skew, window, maxEntries, null, false);
    }

    @Override
    public void check(PeerId origin, byte[] nonce, Instant timestamp) {
        Instant now = clock.instant();
        if (timestamp.isBefore(now.minus(skew))) {
            throw new CryptoException("stale timestamp: " + timestamp + " is more than " + skew.toSeconds()
                    + " s before this node's clock (" + now + ")");
        }
        if (timestamp.isAfter(now.plus(skew))) {
            throw new CryptoException("future timestamp: " + timestamp + " is more than " + skew.toSeconds()
                    + " s after this node's clock (" + now + ")");
        }
        Key key = new Key(Hashes.sha256(origin.toBytes(), nonce));
        long nowMs = now.toEpochMilli();
        synchronized (this) {
            prune(nowMs);
            Long expiry = seen.get(key);
            if (expiry != null && expiry > nowMs) {
                throw new CryptoException("replayed nonce: this nonce from " + origin + " was already accepted"
                        + " within the last " + window.toSeconds() + " s");
            }
            if (seen.size() >= maxEntries) {
                throw new CryptoException("replay guard full (" + maxEntries + " nonces within the window):"
                        + " refusing the message rather than forgetting nonces");
            }
            long until = nowMs + window.toMillis();
            append(until, key.hash);
            seen.put(key, until);
        }
    }

    synchronized int size() {
        return seen.size();
    }

    private void prune(long nowMs) {
        Iterator<Map.Entry<Key, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue() <= nowMs) {
                it.remove();
            } else {
                // Insertion order is expiry order (expiry = first-seen time + window) up to clock steps.
                break;
            }
        }
    }

    private void load() {
        long nowMs = clock.millis();
        try {
            byte[] all;
            try {
                all = Files.readAllBytes(logFile);
            } catch (NoSuchFileException e) {
                all = new byte[0];
            }
            int records = all.length / RECORD;
            if (all.length % RECORD != 0) {
                LOG.warn("Replay log {} ends with a torn record ({} bytes); ignoring it", logFile, all.length % RECORD);
            }
            ByteBuffer buf = ByteBuffer.wrap(all);
            for (int i = 0; i < records; i++) {
                long expiry = buf.getLong();
                byte[] hash = new byte[32];
                buf.get(hash);
                if (expiry > nowMs && seen.size() < maxEntries) {
                    seen.put(new Key(hash), expiry);
                }
            }
            compact();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the replay log " + logFile + ": " + e.getMessage(), e);
        }
    }

    private void compact() throws IOException {
        if (log != null) {
            log.close();
        }
        ByteBuffer buf = ByteBuffer.allocate(seen.size() * RECORD);
        for (Map.Entry<Key, Long> e : seen.entrySet()) {
            buf.putLong(e.getValue()).put(e.getKey().hash);
        }
        AtomicFiles.writePrivate(logFile, buf.array());
        log = FileChannel.open(logFile, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        logRecords = seen.size();
    }

    private void append(long expiry, byte[] hash) {
        if (log == null) {
            return;
        }
        try {
            if (logRecords > 2L * seen.size() + 1024) {
                compact();
            }
            ByteBuffer buf = ByteBuffer.allocate(RECORD).putLong(expiry).put(hash).flip();
            while (buf.hasRemaining()) {
                log.write(buf);
            }
            if (sync) {
                log.force(false);
            }
            logRecords++;
        } catch (IOException e) {
            throw new CryptoException("cannot record the nonce in the replay log " + logFile + ": " + e.getMessage()
                    + "; refusing the message", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (log != null) {
            log.close();
            log = null;
        }
    }

    private record Key(byte[] hash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(hash, k.hash);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(hash);
        }
    }
}
