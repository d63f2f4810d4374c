package io.hivemesh.pubsub.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The configuration of gossipsub (PID {@value #PID}, {@code etc/io.hivemesh.pubsub.cfg}) and its
 * translation into {@link GossipSettings}, {@link HostGossipNetwork.Settings} and the scorer. Defaults
 * are the gossipsub specs' and js-libp2p's; every value is checked by the settings' constructors,
 * which name the offending key's relation.
 */
public final class PubSubConfig {
    public static final String PID = "io.hivemesh.pubsub";

    private PubSubConfig() {
    }

    /**
     * The keys as in {@code etc/io.hivemesh.pubsub.cfg}. Declarative Services maps a single '_' of a
     * method name to '.' in the property name and a double '__' to '_' (OSGi Compendium 112.8.2.1),
     * so {@code d__low()} reads the key {@code d_low}.
     */
    @ObjectClassDefinition(name = "Hivemesh gossipsub",
            description = "Mesh degrees, timings, caches, limits, signing, message ids, peer exchange and scoring of the node's gossipsub router.")
    public @interface Config {
        @AttributeDefinition(name = "D", description = "Desired mesh degree.")
        int d() default 6;

        @AttributeDefinition(name = "D_low", description = "Below it the heartbeat grafts.")
        int d__low() default 4;

        @AttributeDefinition(name = "D_high", description = "Above it the heartbeat prunes.")
        int d__high() default 12;

        @AttributeDefinition(name = "D_score", description = "Peers kept by score when pruning.")
        int d__score() default 4;

        @AttributeDefinition(name = "D_out", description = "Outbound peers kept in each mesh.")
        int d__out() default 2;

        @AttributeDefinition(name = "D_lazy", description = "Minimum peers gossiped to per topic.")
        int d__lazy() default 6;

        @AttributeDefinition(name = "Gossip factor", description = "Fraction of non-mesh peers gossiped to.")
        double gossip__factor() default 0.25;

        @AttributeDefinition(name = "Heartbeat (ms)")
        long heartbeat__ms() default 1000;

        @AttributeDefinition(name = "First heartbeat (ms)", description = "Delay of the first heartbeat after start.")
        long heartbeat__initial__delay__ms() default 100;

        @AttributeDefinition(name = "Fanout TTL (s)")
        long fanout__ttl__s() default 60;

        @AttributeDefinition(name = "Message cache windows")
        int mcache__length() default 5;

        @AttributeDefinition(name = "Gossiped windows")
        int mcache__gossip() default 3;

        @AttributeDefinition(name = "Seen TTL (s)")
        long seen__ttl__s() default 120;

        @AttributeDefinition(name = "PRUNE backoff (s)")
        long prune__backoff__s() default 60;

        @AttributeDefinition(name = "Unsubscribe backoff (s)")
        long unsubscribe__backoff__s() default 10;

        @AttributeDefinition(name = "Max message (bytes)", description = "Largest message published or accepted.")
        int max__message__bytes() default 1024 * 1024;

        @AttributeDefinition(name = "Max RPC frame (bytes)", description = "Largest RPC frame sent or accepted (js-libp2p: 4 MiB).")
        int max__frame__bytes() default HostGossipNetwork.MAX_FRAME;

        @AttributeDefinition(name = "Max topic name (bytes)")
        int max__topic__length() default 1024;

        @AttributeDefinition(name = "Unsigned topics", description = "Comma-separated StrictNoSign topics; every other topic is StrictSign.")
        String nosign__topics() default "";

        @AttributeDefinition(name = "Message id", description = "from-seqno (spec, go-libp2p) or pubkey-seqno (js-libp2p's default).",
                options = {@Option(label = "from-seqno", value = "from-seqno"), @Option(label = "pubkey-seqno", value = "pubkey-seqno")})
        String message__id() default "from-seqno";

        @AttributeDefinition(name = "Flood publish", description = "Own messages go to every subscribed peer above the publish threshold.")
        boolean flood__publish() default true;

        @AttributeDefinition(name = "Publish to zero peers", description = "Publishing succeeds when no peer is subscribed.")
        boolean allow__publish__to__zero__peers() default false;

        @AttributeDefinition(name = "Peer exchange", description = "PRUNEs carry other peers of the topic.")
        boolean peer__exchange() default false;

        @AttributeDefinition(name = "PX peers", description = "Peers offered in one PRUNE.")
        int prune__peers() default 16;

        @AttributeDefinition(name = "Scoring", description = "Gossipsub v1.1 peer scoring; off: every peer scores 0.")
        boolean scoring() default true;

        @AttributeDefinition(name = "Gossip threshold")
        double gossip__threshold() default -10;

        @AttributeDefinition(name = "Publish threshold")
        double publish__threshold() default -50;

        @AttributeDefinition(name = "Graylist threshold")
        double graylist__threshold() default -80;

        @AttributeDefinition(name = "Accept-PX threshold")
        double accept__px__threshold() default 10;

        @AttributeDefinition(name = "Opportunistic graft threshold")
        double opportunistic__graft__threshold() default 20;

        @AttributeDefinition(name = "IP colocation whitelist", description = "Comma-separated addresses or CIDR prefixes exempt from the IP colocation penalty.")
        String ip__colocation__whitelist() default "";

        @AttributeDefinition(name = "Validation queue", description = "Messages validated at once; beyond it they are ignored.")
        int validation__queue() default 1024;

        @AttributeDefinition(name = "Validation timeout (ms)", description = "A verdict not given in time is IGNORE.")
        long validation__timeout__ms() default 10_000;

        @AttributeDefinition(name = "Peer queue (RPCs)", description = "RPCs queued per peer while a write is in flight.")
        int peer__queue__rpcs() default 1024;

        @AttributeDefinition(name = "Peer queue (bytes)", description = "Bytes queued per peer (at least one max frame).")
        long peer__queue__bytes() default 2L * HostGossipNetwork.MAX_FRAME;
    }

    /** The router's settings from {@code c}. */
    public static GossipSettings settings(Config c) {
        return GossipSettings.defaults().toBuilder()
                .d(c.d()).dLow(c.d__low()).dHigh(c.d__high()).dScore(c.d__score()).dOut(c.d__out()).dLazy(c.d__lazy())
                .gossipFactor(c.gossip__factor())
                .heartbeatInterval(Duration.ofMillis(c.heartbeat__ms()))
                .heartbeatInitialDelay(Duration.ofMillis(c.heartbeat__initial__delay__ms()))
                .fanoutTtl(Duration.ofSeconds(c.fanout__ttl__s()))
                .mcacheLength(c.mcache__length()).mcacheGossip(c.mcache__gossip())
                .seenTtl(Duration.ofSeconds(c.seen__ttl__s()))
                .pruneBackoff(Duration.ofSeconds(c.prune__backoff__s()))
                .unsubscribeBackoff(Duration.ofSeconds(c.unsubscribe__backoff__s()))
                .maxMessageBytes(c.max__message__bytes()).maxRpcBytes(c.max__frame__bytes())
                .maxTopicLength(c.max__topic__length())
                .noSignTopics(new LinkedHashSet<>(strings(c.nosign__topics())))
                .messageIdFunction(messageId(c.message__id()))
                .floodPublish(c.flood__publish()).allowPublishToZeroPeers(c.allow__publish__to__zero__peers())
                .peerExchange(c.peer__exchange()).prunePeers(c.prune__peers())
                .thresholds(new ScoreThresholds(c.gossip__threshold(), c.publish__threshold(), c.graylist__threshold(),
                        c.accept__px__threshold(), c.opportunistic__graft__threshold()))
                .validationQueue(c.validation__queue())
                .validationTimeout(Duration.ofMillis(c.validation__timeout__ms()))
                .build();
    }

    /** The network glue's bounds from {@code c}. */
    public static HostGossipNetwork.Settings networkSettings(Config c) {
        return new HostGossipNetwork.Settings(c.max__frame__bytes(), c.peer__queue__rpcs(), c.peer__queue__bytes(), 3);
    }

    /** The scorer: {@link PeerScore} with the defaults (and the whitelist), or none when scoring is off. */
    public static PeerScoring scoring(Config c) {
        if (!c.scoring()) {
            return new ZeroScoring();
        }
        ScoreParams p = ScoreParams.defaults();
        List<String> whitelist = strings(c.ip__colocation__whitelist());
        if (!whitelist.isEmpty()) {
            p = new ScoreParams(p.topics(), p.defaultTopicParams(), p.topicScoreCap(), p.appSpecificWeight(),
                    p.appSpecificScore(), p.ipColocationFactorWeight(), p.ipColocationFactorThreshold(), whitelist,
                    p.behaviourPenaltyWeight(), p.behaviourPenaltyThreshold(), p.behaviourPenaltyDecay(),
                    p.decayInterval(), p.decayToZero(), p.retainScore());
        }
        return new PeerScore(p, Duration.ofSeconds(c.seen__ttl__s()), System::currentTimeMillis);
    }

    static MessageIdFunction messageId(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "from-seqno" -> MessageIdFunction.FROM_SEQNO;
            case "pubkey-seqno" -> MessageIdFunction.PUBKEY_SEQNO;
            default -> throw new IllegalArgumentException(PID + " message_id must be from-seqno or pubkey-seqno, not '"
                    + text + "'");
        };
    }

    /**
     * A comma-separated string, or a String[] or collection (service properties; elements are not split),
     * as trimmed non-empty strings.
     */
    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof String s) {
            Arrays.stream(s.split(",")).map(String::trim).filter(t -> !t.isEmpty()).forEach(out::add);
        } else if (value instanceof String[] a) {
            Arrays.stream(a).map(String::trim).filter(t -> !t.isEmpty()).forEach(out::add);
        } else if (value instanceof Collection<?> col) {
            col.stream().map(x -> String.valueOf(x).trim()).filter(t -> !t.isEmpty()).forEach(out::add);
        } else if (value != null) {
            out.addAll(strings(value.toString()));
        }
        return out;
    }
}
