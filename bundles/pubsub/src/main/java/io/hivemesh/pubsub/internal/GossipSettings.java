package io.hivemesh.pubsub.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Every parameter of the gossipsub router. {@link #defaults()} holds the values of the gossipsub
 * v1.1/v1.2 specs and js-libp2p (see {@code pubsub-content-interop.md}); {@link #toBuilder()} changes a
 * few. The constructor checks the relations the router relies on (D_low ≤ D ≤ D_high, D_score ≤ D,
 * D_out < D_low and D_out ≤ D/2, gossip ≤ mcache windows, a message fits an RPC, every bound positive).
 *
 * @param d desired mesh degree D
 * @param dLow below it the heartbeat grafts (D_low)
 * @param dHigh above it the heartbeat prunes (D_high)
 * @param dScore peers kept by score when pruning an oversized mesh (D_score)
 * @param dOut outbound peers kept in each mesh (D_out)
 * @param dLazy minimum peers to gossip to per topic (D_lazy)
 * @param gossipFactor fraction of non-mesh peers gossiped to, if more than D_lazy
 * @param heartbeatInterval the caller runs heartbeat() at this interval
 * @param heartbeatInitialDelay the caller runs the first heartbeat after this delay
 * @param fanoutTtl fanout state of a topic not published to for this long is dropped
 * @param mcacheLength heartbeat windows of the message cache
 * @param mcacheGossip windows whose ids are gossiped in IHAVE
 * @param seenTtl how long a message id stays in the seen cache
 * @param seenCacheSize the most ids in the seen cache (the oldest are evicted)
 * @param pruneBackoff backoff sent with and applied after a PRUNE
 * @param unsubscribeBackoff backoff sent in the PRUNEs of an unsubscribe
 * @param graftFloodThreshold a GRAFT this soon after a backoff started costs one more penalty
 * @param opportunisticGraftTicks heartbeats between opportunistic grafting rounds
 * @param opportunisticGraftPeers peers grafted per opportunistic round
 * @param iwantFollowupTime an IWANT not answered within this is a broken promise
 * @param maxIHaveMessages IHAVE RPCs accepted per peer per heartbeat
 * @param maxIHaveLength ids per IHAVE sent, and ids asked per peer per heartbeat
 * @param maxIWantAnswers IWANT RPCs answered per peer per heartbeat
 * @param gossipRetransmission times one message is sent to one peer in answer to IWANT
 * @param idontwantMinBytes messages at least this large trigger IDONTWANT to /meshsub/1.2.0 mesh peers
 * @param maxIDontWantIds IDONTWANT ids kept per peer per heartbeat (and per RPC)
 * @param idontwantTtlHeartbeats heartbeats a received IDONTWANT id is kept
 * @param floodPublish own messages go to every subscribed peer with score ≥ the publish threshold
 * @param allowPublishToZeroPeers publish succeeds with no peer to send to
 * @param emitSelf own publications are delivered to the listener too
 * @param peerExchange PRUNEs carry up to prunePeers other peers of the topic
 * @param prunePeers peers offered in one PRUNE (PX)
 * @param noSignTopics StrictNoSign topics (no from/seqno/signature/key; id = sha-256(data)); all others are StrictSign
 * @param messageIdFunction message id of signed messages
 * @param maxMessageBytes largest encoded Message accepted or published
 * @param maxRpcBytes largest RPC built (js's frame limit)
 * @param maxTopicLength longest topic name in UTF-8 bytes; longer ones are ignored
 * @param maxTopicsPerPeer topics tracked per peer; more subscriptions are ignored
 * @param validationQueue validations in flight; beyond it messages are ignored
 * @param validationTimeout a validation not answered within this is IGNORE
 * @param maxCachedMessages messages in the message cache (the oldest are evicted)
 * @param maxCacheBytes bytes of messages in the message cache (the oldest are evicted)
 * @param maxSubscriptionsPerRpc an RPC with more subscriptions is ignored
 * @param maxMessagesPerRpc an RPC with more messages is ignored
 * @param maxControlEntriesPerRpc an RPC with more IHAVE, IWANT, GRAFT, PRUNE or IDONTWANT entries (each kind) is ignored
 * @param maxIdsPerControl an RPC with an IHAVE or IWANT of more ids is ignored
 * @param maxPxPeers an RPC with a PRUNE of more PX peers is ignored
 * @param limitPenalty behaviour penalty for an RPC over a limit
 * @param thresholds score thresholds
 */
public record GossipSettings(int d,
        int dLow,
        int dHigh,
        int dScore,
        int dOut,
        int dLazy,
        double gossipFactor,
        Duration heartbeatInterval,
        Duration heartbeatInitialDelay,
        Duration fanoutTtl,
        int mcacheLength,
        int mcacheGossip,
        Duration seenTtl,
        int seenCacheSize,
        Duration pruneBackoff,
        Duration unsubscribeBackoff,
        Duration graftFloodThreshold,
        int opportunisticGraftTicks,
        int opportunisticGraftPeers,
        Duration iwantFollowupTime,
        int maxIHaveMessages,
        int maxIHaveLength,
        int maxIWantAnswers,
        int gossipRetransmission,
        int idontwantMinBytes,
        int maxIDontWantIds,
        int idontwantTtlHeartbeats,
        boolean floodPublish,
        boolean allowPublishToZeroPeers,
        boolean emitSelf,
        boolean peerExchange,
        int prunePeers,
        Set<String> noSignTopics,
        MessageIdFunction messageIdFunction,
        int maxMessageBytes,
        int maxRpcBytes,
        int maxTopicLength,
        int maxTopicsPerPeer,
        int validationQueue,
        Duration validationTimeout,
        int maxCachedMessages,
        long maxCacheBytes,
        int maxSubscriptionsPerRpc,
        int maxMessagesPerRpc,
        int maxControlEntriesPerRpc,
        int maxIdsPerControl,
        int maxPxPeers,
        int limitPenalty,
        ScoreThresholds thresholds) {

    public GossipSettings {
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(heartbeatInitialDelay, "heartbeatInitialDelay");
        Objects.requireNonNull(fanoutTtl, "fanoutTtl");
        Objects.requireNonNull(seenTtl, "seenTtl");
        Objects.requireNonNull(pruneBackoff, "pruneBackoff");
        Objects.requireNonNull(unsubscribeBackoff, "unsubscribeBackoff");
        Objects.requireNonNull(graftFloodThreshold, "graftFloodThreshold");
        Objects.requireNonNull(iwantFollowupTime, "iwantFollowupTime");
        Objects.requireNonNull(validationTimeout, "validationTimeout");
        Objects.requireNonNull(messageIdFunction, "messageIdFunction");
        Objects.requireNonNull(thresholds, "thresholds");
        noSignTopics = Set.copyOf(noSignTopics);
        check(dLow >= 1 && dLow <= d && d <= dHigh, "need 1 <= dLow <= d <= dHigh, got " + dLow + ", " + d + ", " + dHigh);
        check(dScore >= 0 && dScore <= d, "need 0 <= dScore <= d, got " + dScore);
        check(dOut >= 0 && dOut < dLow && dOut <= d / 2, "need 0 <= dOut < dLow and dOut <= d/2, got " + dOut);
        check(dLazy >= 0 && gossipFactor >= 0 && gossipFactor <= 1, "need dLazy >= 0 and 0 <= gossipFactor <= 1");
        check(mcacheGossip >= 1 && mcacheGossip <= mcacheLength, "need 1 <= mcacheGossip <= mcacheLength, got "
                + mcacheGossip + ", " + mcacheLength);
        check(!heartbeatInterval.isNegative() && !heartbeatInterval.isZero(), "heartbeatInterval must be positive");
        check(maxMessageBytes >= 1 && (long) maxMessageBytes + 64 <= maxRpcBytes,
                "need 1 <= maxMessageBytes <= maxRpcBytes - 64, got " + maxMessageBytes + ", " + maxRpcBytes);
        check(maxRpcBytes >= 1024, "maxRpcBytes must be at least 1024, got " + maxRpcBytes);
        check(maxTopicLength >= 1 && (long) maxTopicLength * 2 + 64 <= maxRpcBytes, "maxTopicLength out of range: " + maxTopicLength);
        check(seenCacheSize >= 1 && maxTopicsPerPeer >= 1 && validationQueue >= 1 && maxCachedMessages >= 1
                && maxCacheBytes >= maxMessageBytes && maxIHaveMessages >= 0 && maxIHaveLength >= 1
                && maxIWantAnswers >= 0 && gossipRetransmission >= 1 && idontwantMinBytes >= 0
                && maxIDontWantIds >= 0 && idontwantTtlHeartbeats >= 1 && prunePeers >= 0
                && opportunisticGraftTicks >= 1 && opportunisticGraftPeers >= 0 && maxSubscriptionsPerRpc >= 1
                && maxMessagesPerRpc >= 1 && maxControlEntriesPerRpc >= 1 && maxIdsPerControl >= 1
                && maxPxPeers >= 0 && limitPenalty >= 0 && mcacheLength <= 1000,
                "a count or bound is out of range");
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("gossipsub settings: " + problem);
        }
    }

    /** The spec's and js-libp2p's defaults. */
    public static GossipSettings defaults() {
        return new Builder().build();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.d = d;
        b.dLow = dLow;
        b.dHigh = dHigh;
        b.dScore = dScore;
        b.dOut = dOut;
        b.dLazy = dLazy;
        b.gossipFactor = gossipFactor;
        b.heartbeatInterval = heartbeatInterval;
        b.heartbeatInitialDelay = heartbeatInitialDelay;
        b.fanoutTtl = fanoutTtl;
        b.mcacheLength = mcacheLength;
        b.mcacheGossip = mcacheGossip;
        b.seenTtl = seenTtl;
        b.seenCacheSize = seenCacheSize;
        b.pruneBackoff = pruneBackoff;
        b.unsubscribeBackoff = unsubscribeBackoff;
        b.graftFloodThreshold = graftFloodThreshold;
        b.opportunisticGraftTicks = opportunisticGraftTicks;
        b.opportunisticGraftPeers = opportunisticGraftPeers;
        b.iwantFollowupTime = iwantFollowupTime;
        b.maxIHaveMessages = maxIHaveMessages;
        b.maxIHaveLength = maxIHaveLength;
        b.maxIWantAnswers = maxIWantAnswers;
        b.gossipRetransmission = gossipRetransmission;
        b.idontwantMinBytes = idontwantMinBytes;
        b.maxIDontWantIds = maxIDontWantIds;
        b.idontwantTtlHeartbeats = idontwantTtlHeartbeats;
        b.floodPublish = floodPublish;
        b.allowPublishToZeroPeers = allowPublishToZeroPeers;
        b.emitSelf = emitSelf;
        b.peerExchange = peerExchange;
        b.prunePeers = prunePeers;
        b.noSignTopics = noSignTopics;
        b.messageIdFunction = messageIdFunction;
        b.maxMessageBytes = maxMessageBytes;
        b.maxRpcBytes = maxRpcBytes;
        b.maxTopicLength = maxTopicLength;
        b.maxTopicsPerPeer = maxTopicsPerPeer;
        b.validationQueue = validationQueue;
        b.validationTimeout = validationTimeout;
        b.maxCachedMessages = maxCachedMessages;
        b.maxCacheBytes = maxCacheBytes;
        b.maxSubscriptionsPerRpc = maxSubscriptionsPerRpc;
        b.maxMessagesPerRpc = maxMessagesPerRpc;
        b.maxControlEntriesPerRpc = maxControlEntriesPerRpc;
        b.maxIdsPerControl = maxIdsPerControl;
        b.maxPxPeers = maxPxPeers;
        b.limitPenalty = limitPenalty;
        b.thresholds = thresholds;
        return b;
    }

    /** Whether {@code topic} is StrictNoSign. */
    public boolean noSign(String topic) {
        return noSignTopics.contains(topic);
    }

    /** Builds {@link GossipSettings}; starts from the defaults. */
    public static final class Builder {
        private int d = 6;
        private int dLow = 4;
        private int dHigh = 12;
        private int dScore = 4;
        private int dOut = 2;
        private int dLazy = 6;
        private double gossipFactor = 0.25;
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private Duration heartbeatInitialDelay = Duration.ofMillis(100);
        private Duration fanoutTtl = Duration.ofSeconds(60);
        private int mcacheLength = 5;
        private int mcacheGossip = 3;
        private Duration seenTtl = Duration.ofMinutes(2);
        private int seenCacheSize = 200_000;
        private Duration pruneBackoff = Duration.ofSeconds(60);
        private Duration unsubscribeBackoff = Duration.ofSeconds(10);
        private Duration graftFloodThreshold = Duration.ofSeconds(10);
        private int opportunisticGraftTicks = 60;
        private int opportunisticGraftPeers = 2;
        private Duration iwantFollowupTime = Duration.ofSeconds(3);
        private int maxIHaveMessages = 10;
        private int maxIHaveLength = 5000;
        private int maxIWantAnswers = 10;
        private int gossipRetransmission = 3;
        private int idontwantMinBytes = 512;
        private int maxIDontWantIds = 512;
        private int idontwantTtlHeartbeats = 5;
        private boolean floodPublish = true;
        private boolean allowPublishToZeroPeers = false;
        private boolean emitSelf = false;
        private boolean peerExchange = false;
        private int prunePeers = 16;
        private Set<String> noSignTopics = Set.of();
        private MessageIdFunction messageIdFunction = MessageIdFunction.FROM_SEQNO;
        private int maxMessageBytes = 1 << 20;
        private int maxRpcBytes = 4 << 20;
        private int maxTopicLength = 1024;
        private int maxTopicsPerPeer = 1000;
        private int validationQueue = 1024;
        private Duration validationTimeout = Duration.ofSeconds(10);
        private int maxCachedMessages = 20_000;
        private long maxCacheBytes = 64L << 20;
        private int maxSubscriptionsPerRpc = 5000;
        private int maxMessagesPerRpc = 5000;
        private int maxControlEntriesPerRpc = 5000;
        private int maxIdsPerControl = 5000;
        private int maxPxPeers = 16;
        private int limitPenalty = 1;
        private ScoreThresholds thresholds = ScoreThresholds.DEFAULTS;

        /** Sets d: desired mesh degree D. */
        public Builder d(int value) {
            this.d = value;
            return this;
        }

        /** Sets dLow: below it the heartbeat grafts (D_low). */
        public Builder dLow(int value) {
            this.dLow = value;
            return this;
        }

        /** Sets dHigh: above it the heartbeat prunes (D_high). */
        public Builder dHigh(int value) {
            this.dHigh = value;
            return this;
        }

        /** Sets dScore: peers kept by score when pruning an oversized mesh (D_score). */
        public Builder dScore(int value) {
            this.dScore = value;
            return this;
        }

        /** Sets dOut: outbound peers kept in each mesh (D_out). */
        public Builder dOut(int value) {
            this.dOut = value;
            return this;
        }

        /** Sets dLazy: minimum peers to gossip to per topic (D_lazy). */
        public Builder dLazy(int value) {
            this.dLazy = value;
            return this;
        }

        /** Sets gossipFactor: fraction of non-mesh peers gossiped to, if more than D_lazy. */
        public Builder gossipFactor(double value) {
            this.gossipFactor = value;
            return this;
        }

        /** Sets heartbeatInterval: the caller runs heartbeat() at this interval. */
        public Builder heartbeatInterval(Duration value) {
            this.heartbeatInterval = value;
            return this;
        }

        /** Sets heartbeatInitialDelay: the caller runs the first heartbeat after this delay. */
        public Builder heartbeatInitialDelay(Duration value) {
            this.heartbeatInitialDelay = value;
            return this;
        }

        /** Sets fanoutTtl: fanout state of a topic not published to for this long is dropped. */
        public Builder fanoutTtl(Duration value) {
            this.fanoutTtl = value;
            return this;
        }

        /** Sets mcacheLength: heartbeat windows of the message cache. */
        public Builder mcacheLength(int value) {
            this.mcacheLength = value;
            return this;
        }

        /** Sets mcacheGossip: windows whose ids are gossiped in IHAVE. */
        public Builder mcacheGossip(int value) {
            this.mcacheGossip = value;
            return this;
        }

        /** Sets seenTtl: how long a message id stays in the seen cache. */
        public Builder seenTtl(Duration value) {
            this.seenTtl = value;
            return this;
        }

        /** Sets seenCacheSize: the most ids in the seen cache (the oldest are evicted). */
        public Builder seenCacheSize(int value) {
            this.seenCacheSize = value;
            return this;
        }

        /** Sets pruneBackoff: backoff sent with and applied after a PRUNE. */
        public Builder pruneBackoff(Duration value) {
            this.pruneBackoff = value;
            return this;
        }

        /** Sets unsubscribeBackoff: backoff sent in the PRUNEs of an unsubscribe. */
        public Builder unsubscribeBackoff(Duration value) {
            this.unsubscribeBackoff = value;
            return this;
        }

        /** Sets graftFloodThreshold: a GRAFT this soon after a backoff started costs one more penalty. */
        public Builder graftFloodThreshold(Duration value) {
            this.graftFloodThreshold = value;
            return this;
        }

        /** Sets opportunisticGraftTicks: heartbeats between opportunistic grafting rounds. */
        public Builder opportunisticGraftTicks(int value) {
            this.opportunisticGraftTicks = value;
            return this;
        }

        /** Sets opportunisticGraftPeers: peers grafted per opportunistic round. */
        public Builder opportunisticGraftPeers(int value) {
            this.opportunisticGraftPeers = value;
            return this;
        }

        /** Sets iwantFollowupTime: an IWANT not answered within this is a broken promise. */
        public Builder iwantFollowupTime(Duration value) {
            this.iwantFollowupTime = value;
            return this;
        }

        /** Sets maxIHaveMessages: IHAVE RPCs accepted per peer per heartbeat. */
        public Builder maxIHaveMessages(int value) {
            this.maxIHaveMessages = value;
            return this;
        }

        /** Sets maxIHaveLength: ids per IHAVE sent, and ids asked per peer per heartbeat. */
        public Builder maxIHaveLength(int value) {
            this.maxIHaveLength = value;
            return this;
        }

        /** Sets maxIWantAnswers: IWANT RPCs answered per peer per heartbeat. */
        public Builder maxIWantAnswers(int value) {
            this.maxIWantAnswers = value;
            return this;
        }

        /** Sets gossipRetransmission: times one message is sent to one peer in answer to IWANT. */
        public Builder gossipRetransmission(int value) {
            this.gossipRetransmission = value;
            return this;
        }

        /** Sets idontwantMinBytes: messages at least this large trigger IDONTWANT to /meshsub/1.2.0 mesh peers. */
        public Builder idontwantMinBytes(int value) {
            this.idontwantMinBytes = value;
            return this;
        }

        /** Sets maxIDontWantIds: IDONTWANT ids kept per peer per heartbeat (and per RPC). */
        public Builder maxIDontWantIds(int value) {
            this.maxIDontWantIds = value;
            return this;
        }

        /** Sets idontwantTtlHeartbeats: heartbeats a received IDONTWANT id is kept. */
        public Builder idontwantTtlHeartbeats(int value) {
            this.idontwantTtlHeartbeats = value;
            return this;
        }

        /** Sets floodPublish: own messages go to every subscribed peer with score ≥ the publish threshold. */
        public Builder floodPublish(boolean value) {
            this.floodPublish = value;
            return this;
        }

        /** Sets allowPublishToZeroPeers: publish succeeds with no peer to send to. */
        public Builder allowPublishToZeroPeers(boolean value) {
            this.allowPublishToZeroPeers = value;
            return this;
        }

        /** Sets emitSelf: own publications are delivered to the listener too. */
        public Builder emitSelf(boolean value) {
            this.emitSelf = value;
            return this;
        }

        /** Sets peerExchange: PRUNEs carry up to prunePeers other peers of the topic. */
        public Builder peerExchange(boolean value) {
            this.peerExchange = value;
            return this;
        }

        /** Sets prunePeers: peers offered in one PRUNE (PX). */
        public Builder prunePeers(int value) {
            this.prunePeers = value;
            return this;
        }

        /** Sets noSignTopics: StrictNoSign topics (no from/seqno/signature/key; id = sha-256(data)); all others are StrictSign. */
        public Builder noSignTopics(Set<String> value) {
            this.noSignTopics = value;
            return this;
        }

        /** Sets messageIdFunction: message id of signed messages. */
        public Builder messageIdFunction(MessageIdFunction value) {
            this.messageIdFunction = value;
            return this;
        }

        /** Sets maxMessageBytes: largest encoded Message accepted or published. */
        public Builder maxMessageBytes(int value) {
            this.maxMessageBytes = value;
            return this;
        }

        /** Sets maxRpcBytes: largest RPC built (js's frame limit). */
        public Builder maxRpcBytes(int value) {
            this.maxRpcBytes = value;
            return this;
        }

        /** Sets maxTopicLength: longest topic name in UTF-8 bytes; longer ones are ignored. */
        public Builder maxTopicLength(int value) {
            this.maxTopicLength = value;
            return this;
        }

        /** Sets maxTopicsPerPeer: topics tracked per peer; more subscriptions are ignored. */
        public Builder maxTopicsPerPeer(int value) {
            this.maxTopicsPerPeer = value;
            return this;
        }

        /** Sets validationQueue: validations in flight; beyond it messages are ignored. */
        public Builder validationQueue(int value) {
            this.validationQueue = value;
            return this;
        }

        /** Sets validationTimeout: a validation not answered within this is IGNORE. */
        public Builder validationTimeout(Duration value) {
            this.validationTimeout = value;
            return this;
        }

        /** Sets maxCachedMessages: messages in the message cache (the oldest are evicted). */
        public Builder maxCachedMessages(int value) {
            this.maxCachedMessages = value;
            return this;
        }

        /** Sets maxCacheBytes: bytes of messages in the message cache (the oldest are evicted). */
        public Builder maxCacheBytes(long value) {
            this.maxCacheBytes = value;
            return this;
        }

        /** Sets maxSubscriptionsPerRpc: an RPC with more subscriptions is ignored. */
        public Builder maxSubscriptionsPerRpc(int value) {
            this.maxSubscriptionsPerRpc = value;
            return this;
        }

        /** Sets maxMessagesPerRpc: an RPC with more messages is ignored. */
        public Builder maxMessagesPerRpc(int value) {
            this.maxMessagesPerRpc = value;
            return this;
        }

        /** Sets maxControlEntriesPerRpc: an RPC with more IHAVE, IWANT, GRAFT, PRUNE or IDONTWANT entries (each kind) is ignored. */
        public Builder maxControlEntriesPerRpc(int value) {
            this.maxControlEntriesPerRpc = value;
            return this;
        }

        /** Sets maxIdsPerControl: an RPC with an IHAVE or IWANT of more ids is ignored. */
        public Builder maxIdsPerControl(int value) {
            this.maxIdsPerControl = value;
            return this;
        }

        /** Sets maxPxPeers: an RPC with a PRUNE of more PX peers is ignored. */
        public Builder maxPxPeers(int value) {
            this.maxPxPeers = value;
            return this;
        }

        /** Sets limitPenalty: behaviour penalty for an RPC over a limit. */
        public Builder limitPenalty(int value) {
            this.limitPenalty = value;
            return this;
        }

        /** Sets thresholds: score thresholds. */
        public Builder thresholds(ScoreThresholds value) {
            this.thresholds = value;
            return this;
        }

        /** The settings; throws IllegalArgumentException naming a violated relation. */
        public GossipSettings build() {
            return new GossipSettings(d, dLow, dHigh, dScore, dOut, dLazy, gossipFactor, heartbeatInterval, heartbeatInitialDelay, fanoutTtl, mcacheLength, mcacheGossip, seenTtl, seenCacheSize, pruneBackoff, unsubscribeBackoff, graftFloodThreshold, opportunisticGraftTicks, opportunisticGraftPeers, iwantFollowupTime, maxIHaveMessages, maxIHaveLength, maxIWantAnswers, gossipRetransmission, idontwantMinBytes, maxIDontWantIds, idontwantTtlHeartbeats, floodPublish, allowPublishToZeroPeers, emitSelf, peerExchange, prunePeers, noSignTopics, messageIdFunction, maxMessageBytes, maxRpcBytes, maxTopicLength, maxTopicsPerPeer, validationQueue, validationTimeout, maxCachedMessages, maxCacheBytes, maxSubscriptionsPerRpc, maxMessagesPerRpc, maxControlEntriesPerRpc, maxIdsPerControl, maxPxPeers, limitPenalty, thresholds);
        }
    }
}
