package io.hivemesh.transport.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiaddrProtocol;
import io.hivemesh.api.net.AddressSource;
import io.hivemesh.api.net.PeerStore;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.transport.internal.proto.Libp2pProto.PeerBookFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's {@link PeerStore}: bounded, with address provenance, optionally persisted.
 *
 * <ul>
 * <li><b>Peers</b>: at most {@code maxPeers}; adding one more evicts the least recently used peer
 * that is not {@linkplain #protect protected} (reads and writes both count as use). If every other
 * peer is protected the bound is exceeded rather than a connected peer forgotten.
 * <li><b>Addresses</b>: at most {@value #MAX_ADDRESSES} per peer, each with its {@link AddressSource}
 * (the most trusted one it was learned from) and an expiry: {@link #ttl(AddressSource)}. CONNECTED
 * addresses do not expire while the peer is protected and get a fresh 24 h when the last protection
 * ends. A full peer makes room by dropping an address of the least trusted source no more trusted
 * than the newcomer (soonest expiry first), else the newcomer is dropped. THIRD_PARTY addresses: at
 * most {@value #MAX_THIRD_PARTY}, and only {@code /ip4|ip6/<addr>/tcp/<port>} that is not
 * unspecified, multicast or port 0. {@link #addresses} lists the most trusted first.
 * <li><b>Other data</b>: at most {@value #MAX_PROTOCOLS} protocols of at most {@value #MAX_TEXT}
 * characters (longer ones are dropped), the agent version (cut to {@value #MAX_TEXT} characters), the
 * public key (it must hash to the peer), the latest accepted signed peer record, latency (EWMA, weight
 * 0.2 for a new sample).
 * <li><b>Persistence</b>: with a file, the constructor loads it and {@link #flush()} rewrites it
 * atomically when something persisted changed: CONNECTED and CERTIFIED addresses (absolute wall-clock
 * expiry), protocols, public key, agent version, signed record; never IDENTIFY or THIRD_PARTY
 * addresses or latency. A file that cannot be read or parsed is logged, renamed to
 * {@code <file>.corrupt} and the book starts empty.
 * </ul>
 *
 * <p>Time comes from the two injected clocks (monotonic nanoseconds for expiry, wall-clock
 * milliseconds only to persist expiry). Thread-safe: one lock guards the state; {@link #flush()}
 * writes the file outside it.
 */
public final class PeerBook implements PeerStore {
    static final int DEFAULT_MAX_PEERS = 2048;
    static final int MAX_ADDRESSES = 32;
    static final int MAX_THIRD_PARTY = 8;
    static final int MAX_PROTOCOLS = 128;
    static final int MAX_TEXT = 256;
    /** A larger file is not read (far above what {@link #DEFAULT_MAX_PEERS} full peers take). */
    static final long MAX_FILE_BYTES = 128L << 20;
    static final String CORRUPT_SUFFIX = ".corrupt";
    private static final int FILE_VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(PeerBook.class);

    /** What {@link #certify} did with a verified record. */
    enum CertifyOutcome {
        /** Newer than the one held (or the first): its addresses are now the CERTIFIED ones. */
        ACCEPTED,
        /** The same seq as the one held: nothing changed. */
        UNCHANGED,
        /** A lower seq than the one held: refused. */
        STALE
    }

    /** The time to live of an address learned from {@code source}. */
    static Duration ttl(AddressSource source) {
        return switch (source) {
            case CONNECTED, CERTIFIED -> Duration.ofHours(24);
            case IDENTIFY -> Duration.ofHours(1);
            case THIRD_PARTY -> Duration.ofMinutes(10);
        };
    }

    private static final class Address {
        AddressSource source;
        long until;

        Address(AddressSource source, long until) {
            this.source = source;
            this.until = until;
        }
    }

    private static final class Entry {
        final LinkedHashMap<Multiaddr, Address> addresses = new LinkedHashMap<>();
        Set<String> protocols = Set.of();
        PublicKey key;
        String agent;
        Duration latency;
        byte[] record;
        long recordSeq;

        boolean isEmpty() {
            return addresses.isEmpty() && protocols.isEmpty() && key == null && agent == null && latency == null
                    && record == null;
        }
    }

    private final Optional<Path> file;
    private final int maxPeers;
    private final LongSupplier wallMillis;
    private final LongSupplier nanos;
    private final Object flushLock = new Object();
    /** Access-ordered: least recently used first. Guarded by {@code this}. */
    private final LinkedHashMap<PeerId, Entry> peers = new LinkedHashMap<>(64, 0.75f, true);
    /** Protection counts (one per open connection, say). Guarded by {@code this}. */
    private final Map<PeerId, Integer> protections = new HashMap<>();
    private boolean dirty;

    /**
     * @param file where the book is persisted, loaded from here if present; empty: memory only
     * @param maxPeers the most peers kept (≥ 1)
     * @param wallMillis wall clock (ms since the epoch), to persist expiry
     * @param nanos monotonic clock (ns), for expiry
     */
    public PeerBook(Optional<Path> file, int maxPeers, LongSupplier wallMillis, LongSupplier nanos) {
        if (maxPeers < 1) {
            throw new IllegalArgumentException("maxPeers must be at least 1: " + maxPeers);
        }
        this.file = file;
        this.maxPeers = maxPeers;
        this.wallMillis = wallMillis;
        this.nanos = nanos;
        file.ifPresent(this::load);
    }

    // ---- protection ----

    /** Marks {@code peer} as connected: it is not evicted until as many {@link #unprotect} calls. */
    public synchronized void protect(PeerId peer) {
        protections.merge(peer, 1, Integer::sum);
    }

    /**
     * Ends one {@link #protect}; when the last ends, the peer's CONNECTED addresses get a fresh
     * {@link #ttl(AddressSource) time to live} from now. Unbalanced calls are ignored.
     */
    public synchronized void unprotect(PeerId peer) {
        Integer left = protections.computeIfPresent(peer, (p, n) -> n > 1 ? n - 1 : null);
        if (left == null) {
            Entry e = peers.get(peer);
            if (e != null) {
                long until = nanos.getAsLong() + ttl(AddressSource.CONNECTED).toNanos();
                for (Address a : e.addresses.values()) {
                    if (a.source == AddressSource.CONNECTED) {
                        a.until = until;
                    }
                }
                dirty = true;
            }
        }
    }

    /** Whether {@code peer} is protected. */
    public synchronized boolean isProtected(PeerId peer) {
        return protections.containsKey(peer);
    }

    // ---- addresses ----

    @Override
    public void addAddresses(PeerId peer, Collection<Multiaddr> addresses, Duration ttl) {
        add(peer, addresses, AddressSource.IDENTIFY, ttl, false);
    }

    @Override
    public void addAddresses(PeerId peer, Collection<Multiaddr> addresses, AddressSource source) {
        add(peer, addresses, source, ttl(source), false);
    }

    /**
     * Makes {@code addresses} the ones {@code peer} has from {@code source}: its other addresses of
     * exactly that source are removed first (an Identify push replacing the announced addresses).
     */
    public void replaceAddresses(PeerId peer, Collection<Multiaddr> addresses, AddressSource source) {
        add(peer, addresses, source, ttl(source), true);
    }

    private synchronized void add(PeerId peer, Collection<Multiaddr> addresses, AddressSource source, Duration ttl,
            boolean replace) {
        List<Multiaddr> accepted = new ArrayList<>();
        for (Multiaddr a : addresses) {
            Multiaddr plain = normalize(peer, a, source);
            if (plain != null) {
                accepted.add(plain);
            }
        }
        if (accepted.isEmpty() && (!replace || !peers.containsKey(peer))) {
            return;
        }
        long now = nanos.getAsLong();
        long until = now + ttl.toNanos();
        Entry e = entryForWrite(peer);
        purge(peer, e, now);
        if (replace) {
            Set<Multiaddr> keep = new HashSet<>(accepted);
            e.addresses.entrySet().removeIf(en -> en.getValue().source == source && !keep.contains(en.getKey()));
        }
        for (Multiaddr a : accepted) {
            Address old = e.addresses.get(a);
            if (old != null) {
                if (source.compareTo(old.source) < 0) {
                    old.source = source;
                    old.until = until;
                } else if (source == old.source && until - old.until > 0) {
                    old.until = until;
                }
                continue;
            }
            if (source == AddressSource.THIRD_PARTY && count(e, AddressSource.THIRD_PARTY) >= MAX_THIRD_PARTY) {
                removeSoonest(e, AddressSource.THIRD_PARTY);
            }
            if (e.addresses.size() >= MAX_ADDRESSES && !makeRoom(e, source)) {
                continue;
            }
            e.addresses.put(a, new Address(source, until));
        }
        if (persisted(source) || replace) {
            dirty = true;
        }
    }

    /** Drops the soonest-expiring address of the least trusted source not more trusted than {@code incoming}. */
    private static boolean makeRoom(Entry e, AddressSource incoming) {
        AddressSource[] all = AddressSource.values();
        for (int s = all.length - 1; s >= incoming.ordinal(); s--) {
            if (removeSoonest(e, all[s])) {
                return true;
            }
        }
        return false;
    }

    private static boolean removeSoonest(Entry e, AddressSource source) {
        Multiaddr victim = null;
        long soonest = 0;
        for (Map.Entry<Multiaddr, Address> en : e.addresses.entrySet()) {
            Address a = en.getValue();
            if (a.source == source && (victim == null || a.until - soonest < 0)) {
                victim = en.getKey();
                soonest = a.until;
            }
        }
        if (victim == null) {
            return false;
        }
        e.addresses.remove(victim);
        return true;
    }

    private static int count(Entry e, AddressSource source) {
        int n = 0;
        for (Address a : e.addresses.values()) {
            if (a.source == source) {
                n++;
            }
        }
        return n;
    }

    /**
     * {@code a} without a {@code /p2p/} suffix naming {@code peer}; null if it names another peer, or
     * for THIRD_PARTY, if it is not a dialable {@code /ip4|ip6/<addr>/tcp/<port>}.
     */
    private static Multiaddr normalize(PeerId peer, Multiaddr a, AddressSource source) {
        if (a.peerIdHash().map(h -> !h.equals(peer.multihash())).orElse(false)) {
            return null;
        }
        Multiaddr plain = a.withoutPeerId();
        if (plain.isEmpty()) {
            return null;
        }
        if (source == AddressSource.THIRD_PARTY && !dialableTcp(plain)) {
            return null;
        }
        return plain;
    }

    /** {@code /ip4|ip6/<addr>/tcp/<port>}, address neither unspecified nor multicast, port not 0. */
    static boolean dialableTcp(Multiaddr a) {
        List<Multiaddr.Component> parts = a.components();
        if (parts.size() != 2 || parts.get(1).protocol() != MultiaddrProtocol.TCP) {
            return false;
        }
        MultiaddrProtocol family = parts.get(0).protocol();
        if (family != MultiaddrProtocol.IP4 && family != MultiaddrProtocol.IP6) {
            return false;
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByAddress(parts.get(0).value());
        } catch (UnknownHostException e) {
            return false;
        }
        return !ip.isAnyLocalAddress() && !ip.isMulticastAddress() && !"0".equals(parts.get(1).valueString());
    }

    @Override
    public synchronized List<Multiaddr> addresses(PeerId peer) {
        Entry e = peers.get(peer);
        if (e == null) {
            return List.of();
        }
        purge(peer, e, nanos.getAsLong());
        List<Map.Entry<Multiaddr, Address>> all = new ArrayList<>(e.addresses.entrySet());
        all.sort(Comparator.comparing(en -> en.getValue().source));
        return all.stream().map(Map.Entry::getKey).toList();
    }

    /** The source {@code address} of {@code peer} is known from, if it is known and unexpired. */
    public synchronized Optional<AddressSource> addressSource(PeerId peer, Multiaddr address) {
        Entry e = peers.get(peer);
        if (e == null) {
            return Optional.empty();
        }
        purge(peer, e, nanos.getAsLong());
        Address a = e.addresses.get(address.withoutPeerId());
        return a == null ? Optional.empty() : Optional.of(a.source);
    }

    private void purge(PeerId peer, Entry e, long now) {
        boolean connected = protections.containsKey(peer);
        Iterator<Address> it = e.addresses.values().iterator();
        while (it.hasNext()) {
            Address a = it.next();
            if (a.until - now < 0 && !(connected && a.source == AddressSource.CONNECTED)) {
                it.remove();
                if (persisted(a.source)) {
                    dirty = true;
                }
            }
        }
    }

    private static boolean persisted(AddressSource source) {
        return source == AddressSource.CONNECTED || source == AddressSource.CERTIFIED;
    }

    // ---- protocols, keys, agent, records, latency ----

    /** Replaces the protocols (at most {@value #MAX_PROTOCOLS}; longer than {@value #MAX_TEXT} chars dropped). */
    @Override
    public synchronized void setProtocols(PeerId peer, Collection<String> protocols) {
        Set<String> kept = new LinkedHashSet<>();
        for (String p : protocols) {
            if (kept.size() == MAX_PROTOCOLS) {
                break;
            }
            if (!p.isEmpty() && p.length() <= MAX_TEXT) {
                kept.add(p);
            }
        }
        entryForWrite(peer).protocols = Set.copyOf(kept);
        dirty = true;
    }

    @Override
    public synchronized Set<String> protocols(PeerId peer) {
        Entry e = peers.get(peer);
        return e == null ? Set.of() : e.protocols;
    }

    @Override
    public synchronized void setPublicKey(PeerId peer, PublicKey key) {
        if (!PeerId.fromPublicKey(key).equals(peer)) {
            throw new IllegalArgumentException("public key does not hash to " + peer);
        }
        entryForWrite(peer).key = key;
        dirty = true;
    }

    @Override
    public synchronized Optional<PublicKey> publicKey(PeerId peer) {
        Entry e = peers.get(peer);
        if (e != null && e.key != null) {
            return Optional.of(e.key);
        }
        return peer.publicKey();
    }

    /** Records the agent version {@code peer} announced (cut to {@value #MAX_TEXT} characters). */
    public synchronized void setAgentVersion(PeerId peer, String agent) {
        entryForWrite(peer).agent = agent.length() > MAX_TEXT ? agent.substring(0, MAX_TEXT) : agent;
        dirty = true;
    }

    /** The agent version {@code peer} last announced, if any. */
    public synchronized Optional<String> agentVersion(PeerId peer) {
        Entry e = peers.get(peer);
        return e == null ? Optional.empty() : Optional.ofNullable(e.agent);
    }

    /**
     * Takes a verified signed peer record: if its seq is above the one held (or none is held), keeps
     * the envelope and makes the record's addresses the peer's CERTIFIED ones (its earlier CERTIFIED
     * addresses are dropped; addresses known as CONNECTED stay CONNECTED), and records the key.
     * Sequence numbers compare as unsigned 64-bit integers.
     */
    synchronized CertifyOutcome certify(PeerRecords.Verified record) {
        PeerId peer = record.peer();
        Entry held = peers.get(peer);
        if (held != null && held.record != null) {
            int order = Long.compareUnsigned(record.seq(), held.recordSeq);
            if (order < 0) {
                return CertifyOutcome.STALE;
            }
            if (order == 0) {
                return CertifyOutcome.UNCHANGED;
            }
        }
        replaceAddresses(peer, record.addresses(), AddressSource.CERTIFIED);
        Entry e = entryForWrite(peer);
        e.record = record.envelope();
        e.recordSeq = record.seq();
        e.key = record.key();
        dirty = true;
        return CertifyOutcome.ACCEPTED;
    }

    /** The latest signed peer record envelope accepted for {@code peer}, as received. */
    public synchronized Optional<byte[]> signedRecord(PeerId peer) {
        Entry e = peers.get(peer);
        return e == null || e.record == null ? Optional.empty() : Optional.of(e.record.clone());
    }

    @Override
    public Optional<byte[]> signedPeerRecord(PeerId peer) {
        return signedRecord(peer);
    }

    /**
     * A record relayed by a third party (gossipsub peer exchange) or handed in by a caller: verified
     * by {@link PeerRecords#verify} (at most {@value PeerRecords#MAX_ENVELOPE} bytes, payload type,
     * signature, that it names its signer and that the signer is {@code expected}), then
     * {@link #certify certified}. A record with a seq not above the one held returns false: a relayed
     * copy may well be older than what the peer itself sent in Identify.
     */
    @Override
    public boolean addSignedPeerRecord(PeerId expected, byte[] envelope) {
        PeerRecords.Verified record;
        try {
            record = PeerRecords.verify(envelope, expected);
        } catch (ProtocolViolationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return certify(record) == CertifyOutcome.ACCEPTED;
    }

    /** The seq of the latest signed peer record accepted for {@code peer}. */
    public synchronized OptionalLong recordSeq(PeerId peer) {
        Entry e = peers.get(peer);
        return e == null || e.record == null ? OptionalLong.empty() : OptionalLong.of(e.recordSeq);
    }

    @Override
    public synchronized void recordLatency(PeerId peer, Duration rtt) {
        Entry e = entryForWrite(peer);
        e.latency = e.latency == null ? rtt
                : Duration.ofNanos((long) (e.latency.toNanos() * 0.8 + rtt.toNanos() * 0.2));
    }

    @Override
    public synchronized Optional<Duration> latency(PeerId peer) {
        Entry e = peers.get(peer);
        return e == null ? Optional.empty() : Optional.ofNullable(e.latency);
    }

    @Override
    public synchronized Set<PeerId> peers() {
        long now = nanos.getAsLong();
        Set<PeerId> out = new HashSet<>();
        for (Map.Entry<PeerId, Entry> en : peers.entrySet()) {
            purge(en.getKey(), en.getValue(), now);
            if (!en.getValue().isEmpty()) {
                out.add(en.getKey());
            }
        }
        return out;
    }

    /** How many peers the book holds (with or without unexpired data). */
    public synchronized int size() {
        return peers.size();
    }

    private Entry entryForWrite(PeerId peer) {
        Entry e = peers.get(peer);
        if (e == null) {
            e = new Entry();
            peers.put(peer, e);
            evictIfFull();
        }
        return e;
    }

    private void evictIfFull() {
        Iterator<PeerId> it = peers.keySet().iterator();
        while (peers.size() > maxPeers && it.hasNext()) {
            if (!protections.containsKey(it.next())) {
                it.remove();
                dirty = true;
            }
        }
    }

    // ---- persistence ----

    /**
     * Writes the file if something persisted changed since the last write (no-op without a file).
     *
     * @return true if the file is now up to date; false if writing failed (logged with the file and
     *     the problem; the next call retries)
     */
    public boolean flush() {
        if (file.isEmpty()) {
            return true;
        }
        synchronized (flushLock) {
            byte[] content;
            synchronized (this) {
                if (!dirty) {
                    return true;
                }
                content = snapshot().toByteArray();
                dirty = false;
            }
            try {
                AtomicFiles.write(file.get(), content);
                return true;
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    dirty = true;
                }
                LOG.warn("cannot write the peer book {}: {}", file.get(), e.toString());
                return false;
            }
        }
    }

    private PeerBookFile snapshot() {
        long now = nanos.getAsLong();
        long wall = wallMillis.getAsLong();
        long connectedUntil = now + ttl(AddressSource.CONNECTED).toNanos();
        PeerBookFile.Builder f = PeerBookFile.newBuilder().setVersion(FILE_VERSION);
        for (Map.Entry<PeerId, Entry> en : peers.entrySet()) {
            PeerId peer = en.getKey();
            Entry e = en.getValue();
            purge(peer, e, now);
            boolean connected = protections.containsKey(peer);
            PeerBookFile.Peer.Builder p = PeerBookFile.Peer.newBuilder();
            for (Map.Entry<Multiaddr, Address> ae : e.addresses.entrySet()) {
                Address a = ae.getValue();
                if (persisted(a.source)) {
                    long until = connected && a.source == AddressSource.CONNECTED ? connectedUntil : a.until;
                    p.addAddresses(PeerBookFile.Address.newBuilder()
                            .setMultiaddr(ByteString.copyFrom(ae.getKey().toBytes()))
                            .setSource(a.source.ordinal())
                            .setExpiresUnixMs(wall + Math.floorDiv(until - now, 1_000_000L)));
                }
            }
            p.addAllProtocols(e.protocols);
            if (e.key != null) {
                p.setPublicKey(ByteString.copyFrom(e.key.toProtobuf()));
            }
            if (e.agent != null) {
                p.setAgentVersion(e.agent);
            }
            if (e.record != null) {
                p.setSignedPeerRecord(ByteString.copyFrom(e.record)).setRecordSeq(e.recordSeq);
            }
            if (!p.equals(PeerBookFile.Peer.newBuilder())) {
                f.addPeers(p.setPeerId(ByteString.copyFrom(peer.toBytes())));
            }
        }
        return f.build();
    }

    private void load(Path path) {
        try {
            Files.deleteIfExists(AtomicFiles.temp(path));
            long size;
            try {
                size = Files.size(path);
            } catch (NoSuchFileException absent) {
                return;
            }
            if (size > MAX_FILE_BYTES) {
                throw new IOException("the file has " + size + " bytes, more than the " + MAX_FILE_BYTES + " accepted");
            }
            PeerBookFile f = PeerBookFile.parseFrom(Files.readAllBytes(path));
            if (f.getVersion() != FILE_VERSION) {
                throw new IOException("unsupported version " + f.getVersion() + " (expected " + FILE_VERSION + ")");
            }
            LinkedHashMap<PeerId, Entry> loaded = decode(f);
            synchronized (this) {
                peers.putAll(loaded);
                evictIfFull();
            }
        } catch (IOException | RuntimeException e) {
            String problem = e instanceof InvalidProtocolBufferException ? "malformed: " + e.getMessage()
                    : e.getMessage() != null ? e.getMessage() : e.toString();
            Path aside = path.resolveSibling(path.getFileName() + CORRUPT_SUFFIX);
            try {
                Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
                LOG.warn("peer book {} is unusable ({}); moved it to {} and starting empty", path, problem, aside);
            } catch (IOException moveFailed) {
                LOG.warn("peer book {} is unusable ({}) and cannot be moved aside ({}); starting empty", path, problem,
                        moveFailed.toString());
            }
        }
    }

    /** The entries of a parsed file; throws on any invalid peer (IOException, or a multiformat error). */
    private LinkedHashMap<PeerId, Entry> decode(PeerBookFile f) throws IOException {
        long now = nanos.getAsLong();
        long wall = wallMillis.getAsLong();
        LinkedHashMap<PeerId, Entry> loaded = new LinkedHashMap<>();
        for (PeerBookFile.Peer p : f.getPeersList()) {
            PeerId peer = PeerId.fromBytes(p.getPeerId().toByteArray());
            Entry e = new Entry();
            for (PeerBookFile.Address a : p.getAddressesList()) {
                if (a.getSource() > AddressSource.CERTIFIED.ordinal()) {
                    throw new IOException("peer " + peer + ": address source " + a.getSource() + " is not persisted");
                }
                AddressSource source = AddressSource.values()[a.getSource()];
                long leftMillis = Math.min(a.getExpiresUnixMs() - wall, ttl(source).toMillis());
                if (leftMillis > 0 && e.addresses.size() < MAX_ADDRESSES) {
                    e.addresses.put(Multiaddr.decode(a.getMultiaddr().toByteArray()),
                            new Address(source, now + leftMillis * 1_000_000L));
                }
            }
            e.protocols = Set.copyOf(p.getProtocolsList().stream().filter(s -> !s.isEmpty() && s.length() <= MAX_TEXT)
                    .limit(MAX_PROTOCOLS).toList());
            if (p.hasPublicKey()) {
                e.key = PublicKey.fromProtobuf(p.getPublicKey().toByteArray());
                if (!PeerId.fromPublicKey(e.key).equals(peer)) {
                    throw new IOException("peer " + peer + ": the stored public key hashes to another peer");
                }
            }
            if (p.hasAgentVersion()) {
                String agent = p.getAgentVersion();
                e.agent = agent.length() > MAX_TEXT ? agent.substring(0, MAX_TEXT) : agent;
            }
            if (p.hasSignedPeerRecord()) {
                e.record = p.getSignedPeerRecord().toByteArray();
                e.recordSeq = p.getRecordSeq();
            }
            loaded.put(peer, e);
        }
        return loaded;
    }
}
