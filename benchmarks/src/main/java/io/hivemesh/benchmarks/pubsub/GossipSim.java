package io.hivemesh.benchmarks.pubsub;

import com.google.protobuf.ByteString;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.pubsub.internal.GossipSettings;
import io.hivemesh.pubsub.internal.ScoreParams;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlIHave;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlIWant;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Gossipsub simulation (a benchmark, not a test): N nodes running the real {@code GossipRouter} with
 * real {@code PeerScore} ({@link ScoreParams#defaults()}) and real Ed25519 signing (StrictSign) over
 * an in-memory network with virtual time ({@link SimClock}): one topic, a random connected topology
 * (every node dials {@code dial} random peers), a one-way delay per link drawn uniformly from
 * [minDelay, maxDelay] ms. After a warm-up, honest nodes publish {@code messages} messages; a
 * fraction of the nodes crashes 1 s into the publishing (their neighbours notice after 1–3 s), or a
 * fraction spams invalid messages (alternately validly signed payloads every honest validator rejects,
 * and payloads with a bad signature sent straight to every neighbour).
 *
 * <p>Measures delivery rate to the surviving honest nodes, latency p50/p99, copies and duplicates per
 * delivered message, IWANT/IHAVE traffic, and how long each spammer takes to be graylisted by all of
 * its honest neighbours, in heartbeats. Bounded: at most {@value #MAX_EVENTS} events and
 * {@value #WALL_MINUTES} wall-clock minutes per scenario (a truncated run says so).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.hivemesh.benchmarks.pubsub.GossipSim N
 * [scenario=all|kill0|kill10|kill30|spam10|spam10js] [messages=100] [seed=1]}; {@code spam10js} runs
 * the spam scenario with js-libp2p's scoring of unconfigured topics (none) for comparison.
 */
public final class GossipSim {
    static final String TOPIC = "sim";
    private static final String PROTOCOL = "/meshsub/1.2.0";
    private static final long MAX_EVENTS = 400_000_000L;
    private static final int WALL_MINUTES = 20;

    final SimClock clock = new SimClock();
    final SimStats stats = new SimStats();
    private final SimConfig cfg;
    private final GossipSettings settings = GossipSettings.defaults();
    private final Random random;
    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<PeerId, SimNode> byId = new HashMap<>();
    private final long[] publishedAt;
    private final int[] author;
    /** Delivery latency in ms per node per message, -1 until delivered. */
    private final int[][] latency;
    private final long[] firstSpam;
    private final long[] isolatedAt;
    private final Set<Integer> killed = new HashSet<>();
    private long spamCounter;

    private GossipSim(SimConfig cfg) {
        this.cfg = cfg;
        this.random = new Random(cfg.seed());
        this.publishedAt = new long[cfg.messages()];
        this.author = new int[cfg.messages()];
        this.latency = new int[cfg.nodes()][cfg.messages()];
        for (int[] row : latency) {
            Arrays.fill(row, -1);
        }
        this.firstSpam = new long[cfg.nodes()];
        this.isolatedAt = new long[cfg.nodes()];
        Arrays.fill(firstSpam, -1);
        Arrays.fill(isolatedAt, -1);
    }

    private SimResult run() {
        long wall0 = System.nanoTime();
        SecureRandom keys = SimSigning.seededRandom(cfg.seed());
        // jsScoring: js-libp2p's behaviour, topics without explicit parameters are not scored
        ScoreParams scoreParams = cfg.jsScoring() ? ScoreParams.defaults().withDefaultTopicParams(null)
                : ScoreParams.defaults();
        int spammers = (int) Math.round(cfg.spamFraction() * cfg.nodes());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < cfg.nodes(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        Set<Integer> spam = new HashSet<>(order.subList(0, spammers));
        for (int i = 0; i < cfg.nodes(); i++) {
            SimNode n = new SimNode(this, i, spam.contains(i), settings, scoreParams, keys, cfg.seed() * 1_000_003L + i);
            nodes.add(n);
            byId.put(n.id, n);
        }
        for (SimNode n : nodes) {
            clock.at(0, () -> n.router.subscribe(TOPIC));
        }
        connect();
        long hb = settings.heartbeatInterval().toMillis();
        for (SimNode n : nodes) {
            heartbeat(n, settings.heartbeatInitialDelay().toMillis() + 1000 + random.nextInt((int) hb));
        }
        long t0 = cfg.warmupMs();
        // the nodes to crash, chosen among honest nodes; publishers are survivors
        List<Integer> honest = new ArrayList<>(order.subList(spammers, order.size()));
        int kills = (int) Math.round(cfg.killFraction() * cfg.nodes());
        killed.addAll(honest.subList(0, kills));
        List<Integer> publishers = honest.subList(kills, honest.size());
        if (kills > 0) {
            clock.at(t0 + 1000, () -> killed.forEach(k -> kill(nodes.get(k))));
        }
        for (int m = 0; m < cfg.messages(); m++) {
            int msg = m;
            SimNode author = nodes.get(publishers.get(random.nextInt(publishers.size())));
            clock.at(t0 + (long) m * cfg.publishIntervalMs(), () -> publish(author, msg));
        }
        for (int s : spam) {
            SimNode n = nodes.get(s);
            clock.at(t0 + random.nextInt(cfg.spamIntervalMs()), () -> spam(n, 0));
        }
        long end = t0 + (long) cfg.messages() * cfg.publishIntervalMs() + cfg.drainMs();
        if (spammers > 0) {
            checkIsolation(t0, end);
        }
        boolean complete = clock.run(end, MAX_EVENTS, wall0 + TimeUnit.MINUTES.toNanos(WALL_MINUTES));
        return result(complete, spam, (System.nanoTime() - wall0) / 1e9);
    }

    private void connect() {
        int n = cfg.nodes();
        for (int i = 0; i < n; i++) {
            SimNode a = nodes.get(i);
            for (int k = 0; k < cfg.dial(); k++) {
                SimNode b = nodes.get(random.nextInt(n));
                if (b == a || a.links.containsKey(b.id)) {
                    continue;
                }
                int delay = cfg.minDelayMs() + random.nextInt(cfg.maxDelayMs() - cfg.minDelayMs() + 1);
                a.links.put(b.id, delay);
                b.links.put(a.id, delay);
                clock.at(random.nextInt(1000), () -> {
                    a.router.addPeer(b.id, PROTOCOL, ip(b), true);
                    b.router.addPeer(a.id, PROTOCOL, ip(a), false);
                });
            }
        }
    }

    private static String ip(SimNode n) {
        return "10." + ((n.index >> 16) & 0xff) + "." + ((n.index >> 8) & 0xff) + "." + (n.index & 0xff);
    }

    private void heartbeat(SimNode n, long at) {
        clock.at(at, () -> {
            if (n.alive) {
                n.router.heartbeat();
                heartbeat(n, at + settings.heartbeatInterval().toMillis());
            }
        });
    }

    private void publish(SimNode author, int msg) {
        byte[] data = new byte[cfg.payloadBytes()];
        data[0] = SimNode.HONEST;
        ByteBuffer.wrap(data, 1, 4).putInt(msg);
        publishedAt[msg] = clock.now();
        this.author[msg] = author.index;
        author.router.publish(TOPIC, data);
    }

    /** A spammer's next invalid message: even ones through its router (validator REJECT), odd ones with a bad signature. */
    private void spam(SimNode s, int k) {
        long end = cfg.warmupMs() + (long) cfg.messages() * cfg.publishIntervalMs();
        if (!s.alive || clock.now() > end) {
            return;
        }
        if (firstSpam[s.index] < 0) {
            firstSpam[s.index] = clock.now();
        }
        byte[] data = new byte[cfg.payloadBytes()];
        data[0] = SimNode.SPAM;
        ByteBuffer.wrap(data, 1, 8).putLong(++spamCounter);
        if (k % 2 == 0) {
            s.router.publish(TOPIC, data);
        } else {
            byte[] sig = new byte[64];
            random.nextBytes(sig);
            Message m = Message.newBuilder().setFrom(ByteString.copyFrom(s.id.toBytes()))
                    .setData(ByteString.copyFrom(data)).setSeqno(ByteString.copyFrom(ByteBuffer.allocate(8)
                            .putLong(spamCounter).array())).setTopic(TOPIC).setSignature(ByteString.copyFrom(sig))
                    .build();
            RPC rpc = RPC.newBuilder().addPublish(m).build();
            for (PeerId p : new ArrayList<>(s.links.keySet())) {
                s.send(p, rpc);
            }
        }
        clock.at(clock.now() + cfg.spamIntervalMs(), () -> spam(s, k + 1));
    }

    private void checkIsolation(long from, long end) {
        double graylist = settings.thresholds().graylist();
        for (long t = from; t <= end; t += 100) {
            clock.at(t, () -> {
                for (SimNode s : nodes) {
                    if (!s.spammer || firstSpam[s.index] < 0 || isolatedAt[s.index] >= 0) {
                        continue;
                    }
                    boolean all = true;
                    for (PeerId p : s.links.keySet()) {
                        SimNode nb = byId.get(p);
                        if (!nb.spammer && nb.alive && nb.links.containsKey(s.id) && nb.score.score(s.id) >= graylist) {
                            all = false;
                            break;
                        }
                    }
                    if (all) {
                        isolatedAt[s.index] = clock.now();
                    }
                }
            });
        }
    }

    private void kill(SimNode n) {
        n.alive = false;
        for (PeerId p : n.links.keySet()) {
            SimNode nb = byId.get(p);
            clock.at(clock.now() + 1000 + random.nextInt(2001), () -> {
                if (nb.alive && nb.links.remove(n.id) != null) {
                    nb.router.removePeer(n.id);
                }
            });
        }
    }

    /** {@code a} drops {@code peer}: both sides lose the link and their router state, the far side after the link delay. */
    void disconnect(SimNode a, PeerId peer) {
        Integer delay = a.links.remove(peer);
        if (delay == null) {
            return;
        }
        clock.soon(() -> a.router.removePeer(peer));
        SimNode b = byId.get(peer);
        clock.at(clock.now() + delay, () -> {
            if (b.links.remove(a.id) != null && b.alive) {
                b.router.removePeer(a.id);
            }
        });
    }

    /** An RPC from {@code from} reaches {@code to} after the link delay. */
    void arrive(SimNode from, PeerId toId, RPC rpc) {
        SimNode to = byId.get(toId);
        if (!to.alive || !to.links.containsKey(from.id)) {
            stats.lost++;
            return;
        }
        if (!to.spammer) {
            for (Message m : rpc.getPublishList()) {
                byte first = m.getData().isEmpty() ? 0 : m.getData().byteAt(0);
                if (first == SimNode.HONEST) {
                    stats.copies++;
                } else if (first == SimNode.SPAM) {
                    stats.spamCopies++;
                    if (to.score.score(from.id) < settings.thresholds().graylist()) {
                        stats.spamGraylisted++;
                    }
                }
            }
        }
        if (!from.spammer && rpc.hasControl()) {
            for (ControlIWant w : rpc.getControl().getIwantList()) {
                for (ByteString id : w.getMessageIDsList()) {
                    if (spamId(id)) {
                        stats.spamIwantIds++;
                    } else {
                        stats.iwantIds++;
                    }
                }
            }
            for (ControlIHave h : rpc.getControl().getIhaveList()) {
                stats.ihaveIds += h.getMessageIDsCount();
            }
        }
        to.router.handleRpc(from.id, rpc);
    }

    /** Whether a message id (FROM_SEQNO: author PeerId ‖ 8-byte seqno) names a spammer's message. */
    private boolean spamId(ByteString id) {
        if (id.size() <= 8) {
            return false;
        }
        try {
            SimNode a = byId.get(PeerId.fromBytes(id.substring(0, id.size() - 8).toByteArray()));
            return a != null && a.spammer;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code n}'s application got {@code m}. */
    void delivered(SimNode n, PubSubMessage m) {
        byte[] data = m.data();
        if (n.spammer || data.length < 5) {
            return;
        }
        if (data[0] == SimNode.SPAM) {
            stats.spamDelivered++;
            return;
        }
        int msg = ByteBuffer.wrap(data, 1, 4).getInt();
        if (latency[n.index][msg] < 0) {
            latency[n.index][msg] = (int) (clock.now() - publishedAt[msg]);
            stats.deliveries++;
        }
    }

    private SimResult result(boolean complete, Set<Integer> spam, double wall) {
        List<Integer> lat = new ArrayList<>();
        long expected = 0;
        int survivors = 0;
        for (SimNode n : nodes) {
            if (n.spammer || killed.contains(n.index)) {
                continue;
            }
            survivors++;
            for (int m = 0; m < cfg.messages(); m++) {
                if (author[m] == n.index) {
                    continue; // the author does not deliver its own message
                }
                expected++;
                if (latency[n.index][m] >= 0) {
                    lat.add(latency[n.index][m]);
                }
            }
        }
        Collections.sort(lat);
        int p50 = lat.isEmpty() ? -1 : lat.get(lat.size() / 2);
        int p99 = lat.isEmpty() ? -1 : lat.get(Math.min(lat.size() - 1, (int) Math.ceil(lat.size() * 0.99) - 1));
        int max = lat.isEmpty() ? -1 : lat.get(lat.size() - 1);
        double d = Math.max(1, stats.deliveries);
        List<Double> iso = new ArrayList<>();
        double hb = settings.heartbeatInterval().toMillis();
        for (int s : spam) {
            if (isolatedAt[s] >= 0) {
                iso.add((isolatedAt[s] - firstSpam[s]) / hb);
            }
        }
        Collections.sort(iso);
        long verifications = nodes.stream().mapToLong(n -> n.signing.verifications).sum();
        // honest nodes' view of their honest neighbours at the end: the defaults must not hurt them
        long pairs = 0;
        long negative = 0;
        double minScore = Double.MAX_VALUE;
        long meshTotal = 0;
        for (SimNode n : nodes) {
            if (n.spammer || !n.alive) {
                continue;
            }
            meshTotal += n.router.mesh(TOPIC).size();
            for (PeerId p : n.links.keySet()) {
                SimNode nb = byId.get(p);
                if (!nb.spammer && nb.alive) {
                    double sc = n.score.score(p);
                    pairs++;
                    negative += sc < 0 ? 1 : 0;
                    minScore = Math.min(minScore, sc);
                }
            }
        }
        return new SimResult(cfg, complete, survivors, expected, lat.size(), p50, p99, max, stats.copies / d,
                stats.iwantIds / d, stats.spamIwantIds / d, stats.ihaveIds / d, spam.size(), iso.size(),
                iso.isEmpty() ? -1 : iso.get(iso.size() / 2), iso.isEmpty() ? -1 : iso.get(iso.size() - 1),
                stats.spamCopies == 0 ? 0 : (double) stats.spamGraylisted / stats.spamCopies, stats.spamDelivered,
                clock.events(), wall, verifications, pairs, negative, pairs == 0 ? 0 : minScore,
                survivors == 0 ? 0 : (double) meshTotal / survivors);
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        String which = args.length > 1 ? args[1] : "all";
        int messages = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        List<String> scenarios = which.equals("all") ? List.of("kill0", "kill10", "kill30", "spam10", "spam10js")
                : List.of(which);
        System.out.println(SimConfig.of(n, "kill0", messages, seed).describe());
        for (String s : scenarios) {
            new GossipSim(SimConfig.of(n, s, messages, seed)).run().print();
        }
    }
}
