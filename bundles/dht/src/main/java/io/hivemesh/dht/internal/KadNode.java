package io.hivemesh.dht.internal;

import com.google.protobuf.ByteString;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.InvalidRecordException;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.dht.internal.proto.DhtProto.Message;
import io.hivemesh.dht.internal.proto.DhtProto.Record;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DHT node's logic, independent of OSGi and of the transport: serves inbound requests
 * ({@link #handle}) and runs iterative queries over a {@link KadNetwork}. Used by the bundle over
 * the libp2p host and by the simulation harness over an in-memory network. Time comes from an
 * injected {@link TimeSource} (the stores take the same clock), so tests move it by hand; only the
 * overall request and query time limits are real-time safety nets. Thread-safe.
 */
public final class KadNode {
    private static final Logger LOG = LoggerFactory.getLogger(KadNode.class);

    /** Outcome of {@link #handle}: the reply to send (empty: none), or a reason to reset the stream. */
    public record Handled(Optional<Message> reply, String refusal) {
        static Handled reply(Message m) {
            return new Handled(Optional.of(m), null);
        }

        static Handled none() {
            return new Handled(Optional.empty(), null);
        }

        static Handled refuse(String why) {
            return new Handled(Optional.empty(), why);
        }
    }

    /**
     * A value found by {@link #getValue}, who returned it, and when that peer says it received it
     * (a claim later than the query's start counts as the epoch).
     */
    private record Found(PeerId from, byte[] value, Instant received) {
    }

    /** A distinct value found by {@link #getValue}: its latest (clamped) time and how many returned it. */
    private static final class Candidate {
        final byte[] value;
        Instant latest = Instant.EPOCH;
        int count;

        Candidate(byte[] value) {
            this.value = value;
        }
    }

    /** How long a peer refused admission to the table is not admitted again. */
    static final Duration ADMISSION_HOLD = Duration.ofMinutes(10);
    /** How many refused peers are remembered (the oldest refusal is forgotten first). */
    static final int MAX_REFUSED = 4096;
    /** Republishes and reprovides in flight at a time. */
    static final int REPUBLISH_CONCURRENCY = 2;
    private static final byte[] NO_VALUE = new byte[0];

    private final KadNetwork net;
    private final DhtSettings settings;
    private final RoutingTable table;
    private final RecordStore records;
    private final RecordStore published;
    private final ProviderStore providers;
    private final Validators validators;
    private final RateLimiter limiter;
    private final TimeSource time;
    private final OwnProvides own;
    private final Throttle republishing = new Throttle(REPUBLISH_CONCURRENCY);
    private final RefusedPeers refused;
    private final Map<PeerId, CompletableFuture<Boolean>> admitting = new ConcurrentHashMap<>();

    /** A node on the system clock that does not remember what it puts or provides (tests and simulations). */
    public KadNode(KadNetwork net, DhtSettings settings, RecordStore records, ProviderStore providers, Validators validators) {
        this(net, settings, TimeSource.system(), records, providers, validators, null, null);
    }

    /** A node on the system clock that remembers the records it puts, not what it provides. */
    public KadNode(KadNetwork net, DhtSettings settings, RecordStore records, ProviderStore providers, Validators validators,
                   RecordStore published) {
        this(net, settings, TimeSource.system(), records, providers, validators, published, null);
    }

    /**
     * @param time where the node takes its time from; the stores should use the same clock
     * @param published the records this node itself put, kept (apart from the records it holds for
     *                  the network, which expire) so that they can be put again; each one's received
     *                  time is when it was last (re)published; null: none are kept
     * @param provided the keys this node itself provides (values: the CIDs they were provided as, or
     *                 empty), kept likewise; each one's received time is when it was last announced;
     *                 null: none are kept (see {@link OwnProvides})
     */
    public KadNode(KadNetwork net, DhtSettings settings, TimeSource time, RecordStore records, ProviderStore providers,
                   Validators validators, RecordStore published, RecordStore provided) {
        this.net = net;
        this.settings = settings;
        this.time = time;
        this.table = new RoutingTable(net.self(), settings.k());
        this.records = records;
        this.published = published;
        this.own = new OwnProvides(providers, provided);
        this.providers = providers;
        this.validators = validators;
        this.limiter = new RateLimiter(settings.requestsPerSecond(), 4096);
        this.refused = new RefusedPeers(ADMISSION_HOLD.toNanos(), MAX_REFUSED);
    }

    public PeerId self() {
        return net.self();
    }

    public DhtSettings settings() {
        return settings;
    }

    public RecordStore records() {
        return records;
    }

    public ProviderStore providers() {
        return providers;
    }

    /** The keys this node provides itself. */
    OwnProvides own() {
        return own;
    }

    /** A copy of the routing table's buckets (for display). */
    public Map<Integer, List<RoutingTable.Entry>> buckets() {
        synchronized (table) {
            return table.buckets();
        }
    }

    public int tableSize() {
        synchronized (table) {
            return table.size();
        }
    }

    public boolean inTable(PeerId peer) {
        synchronized (table) {
            return table.contains(peer);
        }
    }

    // ---------------------------------------------------------------- routing table upkeep

    /**
     * Offers a peer that speaks the DHT and just answered. If its bucket is full, the least recently
     * seen peer is pinged and replaced only if it does not answer.
     */
    public void seen(PeerId peer) {
        offer(peer);
    }

    /** {@link #seen}, completing with whether the peer is in the table afterwards. */
    private CompletableFuture<Boolean> offer(PeerId peer) {
        RoutingTable.Offer offer;
        synchronized (table) {
            offer = table.offer(peer, time.nanoTime());
        }
        switch (offer.outcome()) {
            case ADDED, REFRESHED -> {
                return CompletableFuture.completedFuture(true);
            }
            case PING_OLDEST -> {
                PeerId oldest = offer.toPing();
                return net.ping(oldest).orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .exceptionally(e -> false)
                        .thenApply(answered -> {
                            Optional<PeerId> entered;
                            synchronized (table) {
                                entered = table.pingResult(oldest, answered, time.nanoTime());
                            }
                            if (!answered) {
                                LOG.debug("evicted unresponsive peer {} from the DHT routing table", oldest);
                            }
                            return entered.filter(peer::equals).isPresent();
                        });
            }
            default -> {
                return CompletableFuture.completedFuture(false);
            }
        }
    }

    /**
     * Admits a peer to the routing table if it speaks the DHT: one FIND_NODE (key: our id) to that
     * peer only; if it answers, it is offered to the table. A peer that does not answer, or that the
     * table keeps out (its bucket is full and the oldest peer there answered its ping, or such a ping
     * is pending), is refused for {@link #ADMISSION_HOLD}: admitting it again within that time sends
     * nothing. Cheap and safe to call often: a peer already in the table or refused costs a lookup in
     * memory, and concurrent calls for one peer share one request.
     *
     * @return whether the peer is in the table
     */
    public CompletableFuture<Boolean> admit(PeerId peer) {
        if (peer.equals(net.self())) {
            return CompletableFuture.completedFuture(false);
        }
        if (inTable(peer)) {
            return CompletableFuture.completedFuture(true);
        }
        if (refused.isRefused(peer, time.nanoTime())) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = admitting.putIfAbsent(peer, mine);
        if (running != null) {
            return running;
        }
        Message find = Message.newBuilder().setType(Message.MessageType.FIND_NODE)
                .setKey(ByteString.copyFrom(net.self().toBytes())).build();
        CompletableFuture<Message> sent;
        try {
            sent = request(peer, find);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.handle((reply, err) -> err == null)
                .thenCompose(answered -> answered ? offer(peer) : CompletableFuture.completedFuture(false))
                .whenComplete((in, err) -> {
                    boolean admitted = err == null && in;
                    if (!admitted) {
                        refused.refuse(peer, time.nanoTime());
                    }
                    admitting.remove(peer, mine);
                    mine.complete(admitted);
                });
        return mine;
    }

    /** Whether {@code peer} was refused admission less than {@link #ADMISSION_HOLD} ago. */
    public boolean recentlyRefused(PeerId peer) {
        return refused.isRefused(peer, time.nanoTime());
    }

    /** Drops a peer that failed to answer. */
    public void failed(PeerId peer) {
        synchronized (table) {
            table.remove(peer);
        }
    }

    private List<PeerId> closestKnown(KadId target, int count) {
        synchronized (table) {
            return table.closest(target, count);
        }
    }

    private PeerInfo info(PeerId p) {
        return new PeerInfo(p, net.addresses(p));
    }

    private PeerInfo selfInfo() {
        return new PeerInfo(net.self(), net.selfAddresses());
    }

    // ---------------------------------------------------------------- inbound

    /**
     * Serves one inbound request from {@code from}. Never throws for bad input: a refusal names the
     * reason and the caller resets the stream.
     */
    public Handled handle(PeerId from, Message req) {
        if (!limiter.allow(from, time.nanoTime())) {
            return Handled.refuse("peer " + from + " exceeds " + settings.requestsPerSecond() + " DHT requests/s");
        }
        if (net.isServer(from)) {
            seen(from);
        }
        byte[] key = req.getKey().toByteArray();
        Message.Builder reply = Message.newBuilder().setType(req.getType()).setKey(req.getKey());
        switch (req.getType()) {
            case FIND_NODE -> {
                addCloser(reply, key, from);
                return Handled.reply(reply.build());
            }
            case GET_VALUE -> {
                if (key.length == 0) {
                    return Handled.refuse("GET_VALUE without a key");
                }
                records.get(key).ifPresent(r -> reply.setRecord(Record.newBuilder().setKey(req.getKey())
                        .setValue(ByteString.copyFrom(r.value())).setTimeReceived(r.received().toString())));
                addCloser(reply, key, from);
                return Handled.reply(reply.build());
            }
            case PUT_VALUE -> {
                if (!req.hasRecord() || !req.getRecord().getKey().equals(req.getKey())) {
                    return Handled.refuse("PUT_VALUE whose record key differs from the message key");
                }
                byte[] value = req.getRecord().getValue().toByteArray();
                try {
                    validators.validate(key, value);
                    storeIfBetter(key, value, from);
                } catch (InvalidRecordException | IllegalStateException e) {
                    return Handled.refuse("PUT_VALUE refused: " + e.getMessage());
                }
                return Handled.reply(req);
            }
            case ADD_PROVIDER -> {
                if (key.length == 0) {
                    return Handled.refuse("ADD_PROVIDER without a key");
                }
                List<String> reasons = new ArrayList<>();
                for (PeerInfo p : DhtCodec.peers(req.getProviderPeersList(), reasons)) {
                    if (!p.peer().equals(from)) {
                        reasons.add("provider entry for " + p.peer() + " sent by " + from + " ignored");
                        continue;
                    }
                    try {
                        providers.add(key, p);
                        net.learnAddresses(p.peer(), p.addresses());
                    } catch (IllegalStateException e) {
                        reasons.add(e.getMessage());
                    }
                }
                reasons.forEach(r -> LOG.debug("ADD_PROVIDER from {}: {}", from, r));
                return Handled.none();
            }
            case GET_PROVIDERS -> {
                if (key.length == 0) {
                    return Handled.refuse("GET_PROVIDERS without a key");
                }
                for (PeerInfo p : providers.get(key)) {
                    reply.addProviderPeers(DhtCodec.peer(p, Message.ConnectionType.NOT_CONNECTED));
                }
                addCloser(reply, key, from);
                return Handled.reply(reply.build());
            }
            case PING -> {
                return Handled.reply(reply.build());
            }
            default -> {
                return Handled.refuse("unknown DHT message type " + req.getTypeValue());
            }
        }
    }

    /**
     * Stores {@code value} from {@code from} unless the validator prefers the stored one (values go
     * oldest first). In open namespaces the uploader's quota applies.
     *
     * @throws IllegalStateException if a store bound or the uploader's quota would be crossed
     */
    private void storeIfBetter(byte[] key, byte[] value, PeerId from) {
        Optional<RecordStore.Stored> current = records.get(key);
        if (current.isPresent() && !Arrays.equals(current.get().value(), value)
                && validators.select(key, List.of(current.get().value(), value)) == 0) {
            return;
        }
        records.put(key, value, from, validators.isOpen(key) ? settings.peerQuota() : null);
    }

    private void addCloser(Message.Builder reply, byte[] key, PeerId requester) {
        for (PeerId p : closestKnown(KadId.of(key), settings.k() + 1)) {
            if (!p.equals(requester) && reply.getCloserPeersCount() < settings.k()) {
                reply.addCloserPeers(DhtCodec.peer(info(p), Message.ConnectionType.NOT_CONNECTED));
            }
        }
    }

    // ---------------------------------------------------------------- outbound queries

    /** Adds a peer by its address (bootstrap): the first successful FIND_NODE admits it. */
    public CompletableFuture<List<PeerId>> bootstrap(Collection<PeerInfo> seeds) {
        List<PeerId> ids = new ArrayList<>();
        for (PeerInfo s : seeds) {
            net.learnAddresses(s.peer(), s.addresses());
            ids.add(s.peer());
        }
        return new Query(net.self().toBytes(), Message.MessageType.FIND_NODE, ids, r -> false).start();
    }

    /**
     * Refreshes the routing table: a lookup of our own id, and one for a random key in each bucket
     * that saw no lookup within {@code intervalNanos}.
     */
    public CompletableFuture<Void> refresh(Random random, long intervalNanos) {
        List<byte[]> keys = new ArrayList<>();
        keys.add(net.self().toBytes());
        synchronized (table) {
            for (int i : table.bucketsToRefresh(time.nanoTime(), intervalNanos)) {
                keys.add(table.randomKeyInBucket(i, random));
            }
        }
        List<CompletableFuture<List<PeerId>>> runs = new ArrayList<>();
        for (byte[] k : keys) {
            runs.add(closestPeers(k));
        }
        return CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new));
    }

    /** The k peers closest to {@code key} that answered, closest first. */
    public CompletableFuture<List<PeerId>> closestPeers(byte[] key) {
        return new Query(key, Message.MessageType.FIND_NODE, null, r -> false).start();
    }

    /**
     * A FIND_NODE lookup with its statistics.
     *
     * @param closest the k closest peers that answered
     * @param hops the hop count of the closest one (1: a peer this node knew)
     * @param queried how many peers were asked
     */
    public record LookupResult(List<PeerId> closest, int hops, int queried) {
    }

    /** {@link #closestPeers} with the lookup's hop count and number of peers asked. */
    public CompletableFuture<LookupResult> lookup(byte[] key) {
        Query q = new Query(key, Message.MessageType.FIND_NODE, null, r -> false);
        return q.start().thenApply(closest -> {
            synchronized (q.lookup) {
                return new LookupResult(closest, closest.isEmpty() ? 0 : q.lookup.depth(closest.get(0)), q.lookup.queried());
            }
        });
    }

    /** Looks up a peer's addresses. */
    public CompletableFuture<Optional<PeerInfo>> findPeer(PeerId peer) {
        List<Multiaddr> known = net.addresses(peer);
        if (inTable(peer) && !known.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.of(new PeerInfo(peer, known)));
        }
        PeerInfo[] found = new PeerInfo[1];
        Query q = new Query(peer.toBytes(), Message.MessageType.FIND_NODE, null, reply -> {
            for (PeerInfo p : DhtCodec.peers(reply.message().getCloserPeersList(), null)) {
                if (p.peer().equals(peer) && !p.addresses().isEmpty()) {
                    synchronized (found) {
                        found[0] = p;
                    }
                    return true;
                }
            }
            return reply.from().equals(peer);
        });
        return q.start().thenApply(r -> {
            synchronized (found) {
                if (found[0] != null) {
                    return Optional.of(found[0]);
                }
            }
            List<Multiaddr> addrs = net.addresses(peer);
            return r.contains(peer) && !addrs.isEmpty() ? Optional.of(new PeerInfo(peer, addrs)) : Optional.empty();
        });
    }

    /**
     * Validates and stores a record locally, then on the k closest peers.
     *
     * @return the number of peers that echoed the record back
     */
    public CompletableFuture<Integer> putValue(byte[] key, byte[] value) {
        try {
            validators.validate(key, value);
            records.put(key, value);
            if (published != null) {
                published.put(key, value);
            }
        } catch (InvalidRecordException | IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        Message put = Message.newBuilder().setType(Message.MessageType.PUT_VALUE).setKey(ByteString.copyFrom(key))
                .setRecord(Record.newBuilder().setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(value))
                        .setTimeReceived(time.now().toString())).build();
        return closestPeers(key).thenCompose(peers -> {
            List<CompletableFuture<Boolean>> sends = new ArrayList<>();
            for (PeerId p : peers) {
                sends.add(request(p, put).thenApply(echo -> echo.hasRecord()
                        && echo.getRecord().getValue().equals(put.getRecord().getValue())).exceptionally(e -> false));
            }
            return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .thenApply(v -> (int) sends.stream().filter(CompletableFuture::join).count());
        });
    }

    /**
     * Puts every record this node itself put again now, due or not, {@link #REPUBLISH_CONCURRENCY}
     * at a time. A record that no longer validates is skipped with a log line.
     *
     * @return the number of peer acceptances, summed over the records
     */
    public CompletableFuture<Integer> republishRecords() {
        if (published == null) {
            return CompletableFuture.completedFuture(0);
        }
        List<CompletableFuture<Integer>> puts = new ArrayList<>();
        for (RecordStore.Meta m : published.entries()) {
            puts.add(republishing.submit(taskName("put ", m.key()), () -> republish(m.key())).exceptionally(e -> 0));
        }
        return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new))
                .thenApply(v -> puts.stream().mapToInt(CompletableFuture::join).sum());
    }

    /**
     * Queues every record this node put and every key it provides whose last (re)publication is at
     * least the republish interval old (after a restart: whatever fell due while the node was down),
     * {@link #REPUBLISH_CONCURRENCY} running at a time, the rest waiting their turn. Items already
     * queued are not queued twice. Cheap enough to call every upkeep round.
     *
     * @return completes, once the items queued by this call are done, with how many it queued
     */
    public CompletableFuture<Integer> republishDue() {
        Instant now = time.now();
        Duration every = settings.republishInterval();
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        if (published != null) {
            for (RecordStore.Meta m : published.entries()) {
                if (!m.received().plus(every).isAfter(now)) {
                    queue(taskName("put ", m.key()), () -> republish(m.key()), queued);
                }
            }
        }
        for (byte[] key : own.due(now, every)) {
            queue(taskName("provide ", key), () -> reprovide(key), queued);
        }
        return CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).handle((v, e) -> queued.size());
    }

    /**
     * Queues a reprovide of every key the provider store says this node provides but that is not in
     * the store of its own provides (provides made before that store existed).
     *
     * @return how many keys were queued
     */
    public int adoptProvides() {
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (byte[] key : own.adopt(net.self())) {
            queue(taskName("provide ", key), () -> reprovide(key), queued);
        }
        return queued.size();
    }

    /** Republishes and reprovides queued or running (for display and tests). */
    public int republishPending() {
        return republishing.queued() + republishing.running();
    }

    private static String taskName(String kind, byte[] key) {
        return kind + KadId.of(key);
    }

    /** Submits a republish task unless one of that name is pending; adds its result to {@code queued} if submitted. */
    private void queue(String name, Supplier<CompletableFuture<Integer>> work, List<CompletableFuture<Integer>> queued) {
        if (!republishing.pending(name)) {
            queued.add(republishing.submit(name, work));
        }
    }

    /**
     * Puts one of this node's records again. If that fails before reaching the network (it no longer
     * validates, the store is full), its schedule restarts anyway so it is not retried every round.
     */
    private CompletableFuture<Integer> republish(byte[] key) {
        Optional<RecordStore.Stored> s = published.get(key);
        if (s.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        return putValue(key, s.get().value()).exceptionally(e -> {
            LOG.warn("cannot republish DHT record {}: {}", KadId.of(key), e.getMessage());
            try {
                published.put(key, s.get().value());
            } catch (RuntimeException again) {
                LOG.warn("cannot reschedule DHT record {}: {}", KadId.of(key), again.getMessage());
            }
            return 0;
        });
    }

    /** Announces a key this node provides again; sends nothing if it was withdrawn meanwhile. */
    private CompletableFuture<Integer> reprovide(byte[] key) {
        try {
            if (!own.reannounce(key, selfInfo())) {
                return CompletableFuture.completedFuture(0);
            }
        } catch (IllegalStateException | UncheckedIOException e) {
            LOG.warn("cannot reprovide DHT key {}: {}", KadId.of(key), e.getMessage());
            return CompletableFuture.completedFuture(0);
        }
        return announce(key).exceptionally(e -> {
            LOG.warn("cannot reprovide DHT key {}: {}", KadId.of(key), e.getMessage());
            return 0;
        });
    }

    /**
     * Finds the best value of {@code key}: the local record counts as one answer; the lookup stops
     * at {@code quorum} valid answers. A time a peer reports later than the query's start counts as
     * the query's start (nobody is newer than now); see {@link #best} for the ranking. Afterwards the
     * best value is sent to the peers that returned another one and to those among the k closest
     * that answered without a record.
     */
    public CompletableFuture<Optional<byte[]>> getValue(byte[] key, int quorum) {
        try {
            validators.forKey(key).orElseThrow(() -> new InvalidRecordException(
                    "no validator for record namespace '" + Validators.namespace(key) + "'"));
        } catch (InvalidRecordException e) {
            return CompletableFuture.failedFuture(e);
        }
        Instant start = time.now();
        List<Found> found = new ArrayList<>();
        records.get(key).ifPresent(r -> found.add(new Found(net.self(), r.value(), min(r.received(), start))));
        if (quorum <= 1 && !found.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.of(found.get(0).value()));
        }
        Set<PeerId> without = new HashSet<>();
        Query q = new Query(key, Message.MessageType.GET_VALUE, null, reply -> {
            Message m = reply.message();
            if (!m.hasRecord()) {
                synchronized (found) {
                    without.add(reply.from());
                }
                return false;
            }
            byte[] value = m.getRecord().getValue().toByteArray();
            try {
                if (!Arrays.equals(m.getRecord().getKey().toByteArray(), key)) {
                    throw new InvalidRecordException("record for another key");
                }
                validators.validate(key, value);
            } catch (InvalidRecordException e) {
                LOG.debug("GET_VALUE reply from {} ignored: {}", reply.from(), e.getMessage());
                return false;
            }
            // a peer cannot have received the value after we asked: a later claim is a lie, ranked oldest
            Instant claimed = parseTime(m.getRecord().getTimeReceived());
            Instant received = claimed.isAfter(start) ? Instant.EPOCH : claimed;
            synchronized (found) {
                found.add(new Found(reply.from(), value, received));
                return found.size() >= quorum;
            }
        });
        return q.start().thenApply(closest -> {
            List<Found> all;
            synchronized (found) {
                all = new ArrayList<>(found);
            }
            if (all.isEmpty()) {
                return Optional.empty();
            }
            byte[] best = best(key, all);
            Set<PeerId> lacking;
            synchronized (found) {
                lacking = new HashSet<>(without);
            }
            correct(key, best, all, closest, lacking);
            return Optional.of(best);
        });
    }

    private static Instant min(Instant a, Instant b) {
        return a.isAfter(b) ? b : a;
    }

    /**
     * The best of the values found: the distinct values go to the validator oldest first, ordered by
     * the latest (clamped) time any peer reported for each, and among equal times by how many peers
     * returned it (more ranks newer). A claim later than the query's start (nobody can have received
     * a value after we asked) counts as the oldest possible time, so a far-future time never wins;
     * among values claiming the same time the one more peers hold wins. (A liar claiming a time just
     * before the query still outranks older honest copies: open namespaces have no versions to check.)
     */
    private byte[] best(byte[] key, List<Found> all) {
        Map<ByteString, Candidate> byValue = new LinkedHashMap<>();
        for (Found f : all) {
            Candidate c = byValue.computeIfAbsent(ByteString.copyFrom(f.value()), v -> new Candidate(f.value()));
            c.count++;
            if (f.received().isAfter(c.latest)) {
                c.latest = f.received();
            }
        }
        List<Candidate> ranked = new ArrayList<>(byValue.values());
        ranked.sort(Comparator.<Candidate, Instant>comparing(c -> c.latest).thenComparingInt(c -> c.count));
        List<byte[]> values = new ArrayList<>(ranked.size());
        ranked.forEach(c -> values.add(c.value));
        return values.get(validators.select(key, values));
    }

    private static Instant parseTime(String t) {
        try {
            return t.isEmpty() ? Instant.EPOCH : Instant.parse(t);
        } catch (java.time.DateTimeException e) {
            return Instant.EPOCH;
        }
    }

    /**
     * Sends the best value to every peer that answered with another one, and to every peer among the
     * k closest that answered without a record.
     */
    private void correct(byte[] key, byte[] best, List<Found> all, List<PeerId> closest, Set<PeerId> without) {
        Message put = Message.newBuilder().setType(Message.MessageType.PUT_VALUE).setKey(ByteString.copyFrom(key))
                .setRecord(Record.newBuilder().setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(best))
                        .setTimeReceived(time.now().toString())).build();
        Set<PeerId> targets = new LinkedHashSet<>();
        for (Found f : all) {
            if (!Arrays.equals(f.value(), best)) {
                targets.add(f.from());
            }
        }
        for (PeerId p : closest) {
            if (without.contains(p)) {
                targets.add(p);
            }
        }
        for (PeerId target : targets) {
            if (target.equals(net.self())) {
                try {
                    records.put(key, best);
                } catch (IllegalStateException e) {
                    LOG.debug("cannot correct the local record: {}", e.getMessage());
                }
            } else {
                request(target, put).exceptionally(e -> null);
            }
        }
    }

    /** {@link #provide(byte[], byte[])} without a CID to remember. */
    public CompletableFuture<Integer> provide(byte[] key) {
        return provide(key, NO_VALUE);
    }

    /**
     * Announces this node as a provider of {@code key} to the k closest peers (and remembers the key,
     * {@code cid} and the time in the store of its own provides, for reproviding); returns how many
     * were told.
     *
     * @param cid the bytes of the CID {@code key} is the multihash of (for {@link OwnProvides#cids}); may be empty
     */
    public CompletableFuture<Integer> provide(byte[] key, byte[] cid) {
        try {
            own.announce(key, cid, selfInfo());
        } catch (IllegalStateException | UncheckedIOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return announce(key);
    }

    /**
     * Stops providing {@code key}: not reprovided any more, this node's own entry gone from its
     * provider store. Nothing is sent (Kademlia has no remote delete): the entries peers hold expire
     * {@link DhtSettings#providerTtl()} after they were last announced.
     *
     * @return whether this node provided it
     * @throws UncheckedIOException if the change cannot be written
     */
    public boolean withdraw(byte[] key) {
        return own.withdraw(key, net.self());
    }

    /** Sends ADD_PROVIDER for this node to the k closest peers of {@code key}; completes with how many were told. */
    private CompletableFuture<Integer> announce(byte[] key) {
        Message add = Message.newBuilder().setType(Message.MessageType.ADD_PROVIDER).setKey(ByteString.copyFrom(key))
                .addProviderPeers(DhtCodec.peer(selfInfo(), Message.ConnectionType.CONNECTED)).build();
        return closestPeers(key).thenCompose(peers -> {
            List<CompletableFuture<Boolean>> sends = new ArrayList<>();
            for (PeerId p : peers) {
                sends.add(net.send(p, add).orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .thenApply(v -> true).exceptionally(e -> false));
            }
            return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .thenApply(v -> (int) sends.stream().filter(CompletableFuture::join).count());
        });
    }

    /**
     * Finds up to {@code limit} providers of {@code key}, each handed to {@code onProvider} once, as
     * found; completes with the count.
     */
    public CompletableFuture<Integer> findProviders(byte[] key, int limit, Consumer<PeerInfo> onProvider) {
        Map<PeerId, PeerInfo> seen = new LinkedHashMap<>();
        Predicate<PeerInfo> emit = p -> {
            synchronized (seen) {
                if (seen.size() >= limit || seen.containsKey(p.peer())) {
                    return seen.size() >= limit;
                }
                seen.put(p.peer(), p);
            }
            try {
                onProvider.accept(p);
            } catch (RuntimeException e) {
                LOG.warn("provider callback failed: {}", e.toString());
            }
            synchronized (seen) {
                return seen.size() >= limit;
            }
        };
        for (PeerInfo p : providers.get(key)) {
            if (emit.test(p)) {
                return CompletableFuture.completedFuture(limit);
            }
        }
        Query q = new Query(key, Message.MessageType.GET_PROVIDERS, null, reply -> {
            boolean enough = false;
            for (PeerInfo p : DhtCodec.peers(reply.message().getProviderPeersList(), null)) {
                if (!p.addresses().isEmpty()) {
                    net.learnAddresses(p.peer(), p.addresses());
                }
                enough |= emit.test(new PeerInfo(p.peer(), p.addresses().isEmpty() ? net.addresses(p.peer()) : p.addresses()));
                if (enough) {
                    break;
                }
            }
            return enough;
        });
        return q.start().thenApply(r -> {
            synchronized (seen) {
                return seen.size();
            }
        });
    }

    private CompletableFuture<Message> request(PeerId peer, Message m) {
        return net.request(peer, m).orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A reply seen by a query. */
    record Reply(PeerId from, Message message) {
    }

    /** One iterative query driving a {@link Lookup} over the network. */
    private final class Query {
        private final byte[] key;
        private final Message request;
        private final Lookup lookup;
        private final Predicate<Reply> stop;
        private final CompletableFuture<List<PeerId>> result = new CompletableFuture<>();

        Query(byte[] key, Message.MessageType type, List<PeerId> seeds, Predicate<Reply> stop) {
            this.key = key;
            this.request = Message.newBuilder().setType(type).setKey(ByteString.copyFrom(key)).build();
            KadId target = KadId.of(key);
            List<PeerId> start = seeds != null ? seeds : closestKnown(target, settings.k());
            this.lookup = new Lookup(target, net.self(), start, settings.alpha(), settings.k(),
                    settings.requestTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1));
            this.stop = stop;
        }

        CompletableFuture<List<PeerId>> start() {
            synchronized (table) {
                table.lookedUp(KadId.of(key), time.nanoTime());
            }
            pump();
            return result.orTimeout(settings.queryTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionallyCompose(e -> {
                        synchronized (lookup) {
                            return CompletableFuture.completedFuture(lookup.result());
                        }
                    });
        }

        private void pump() {
            List<PeerId> ask;
            synchronized (lookup) {
                if (result.isDone()) {
                    return;
                }
                ask = lookup.next(time.nanoTime());
                if (ask.isEmpty() && lookup.done()) {
                    result.complete(lookup.result());
                    return;
                }
            }
            for (PeerId p : ask) {
                request(p, request).whenComplete((reply, err) -> {
                    if (err != null) {
                        failed(p);
                        synchronized (lookup) {
                            lookup.onFailure(p);
                        }
                    } else {
                        onReply(p, reply);
                    }
                    pump();
                });
            }
        }

        private void onReply(PeerId from, Message reply) {
            List<String> reasons = new ArrayList<>();
            List<PeerInfo> closer = DhtCodec.peers(reply.getCloserPeersList(), reasons);
            reasons.forEach(r -> LOG.debug("reply from {}: {}", from, r));
            List<PeerId> ids = new ArrayList<>(closer.size());
            for (PeerInfo p : closer) {
                if (!p.peer().equals(net.self())) {
                    if (!p.addresses().isEmpty()) {
                        net.learnAddresses(p.peer(), p.addresses());
                    }
                    ids.add(p.peer());
                }
            }
            seen(from);
            boolean done;
            try {
                done = stop.test(new Reply(from, reply));
            } catch (RuntimeException e) {
                LOG.warn("DHT query callback failed: {}", e.toString());
                done = false;
            }
            synchronized (lookup) {
                lookup.onReply(from, ids);
                if (done) {
                    result.complete(lookup.result());
                }
            }
        }
    }
}
