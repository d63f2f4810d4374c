package io.hivemesh.pubsub.internal;

import com.google.protobuf.ByteString;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.PublishException;
import io.hivemesh.api.pubsub.PublishResult;
import io.hivemesh.api.pubsub.ValidationResult;
import io.hivemesh.pubsub.internal.PeerScoring.Rejection;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The path of a message through the router: seen cache, authenticity (StrictSign/StrictNoSign), size,
 * IDONTWANT, the asynchronous validator (bounded in flight, timed out at heartbeats), then delivery,
 * message cache and forwarding; and the same for this node's publications. Router thread only,
 * except the validator's callback, which only hands the verdict to the router executor.
 */
final class MessagePipeline {

    /** A message waiting for its validator's verdict. */
    private static final class Validation {
        final MessageId id;
        final Message message;
        final PubSubMessage api;
        final PeerId from;
        final String topic;
        final long started;
        final CompletableFuture<PublishResult> publication; // null for received messages
        final AtomicBoolean answered = new AtomicBoolean();

        Validation(MessageId id, Message message, PubSubMessage api, PeerId from, String topic, long started,
                CompletableFuture<PublishResult> publication) {
            this.id = id;
            this.message = message;
            this.api = api;
            this.from = from;
            this.topic = topic;
            this.started = started;
            this.publication = publication;
        }
    }

    private final Overlay o;
    private final MessageSigning signing;
    private final MessageValidator validator;
    private final Executor executor;
    private final ByteString selfBytes;
    final SeenCache seen;
    final MessageCache mcache;
    final Promises promises = new Promises();
    final MessageCounters counters = new MessageCounters();
    private final Map<MessageId, Validation> validating = new LinkedHashMap<>();

    MessagePipeline(Overlay o, MessageSigning signing, MessageValidator validator, Executor executor) {
        this.o = o;
        this.signing = signing;
        this.validator = validator;
        this.executor = executor;
        this.selfBytes = ByteString.copyFrom(o.self.toBytes());
        GossipSettings s = o.settings;
        this.seen = new SeenCache(s.seenTtl().toMillis(), s.seenCacheSize());
        this.mcache = new MessageCache(s.mcacheLength(), s.mcacheGossip(), s.maxCachedMessages(), s.maxCacheBytes());
    }

    int validating() {
        return validating.size();
    }

    /** Whether {@code id} was seen or is being validated (IHAVE need not ask for it). */
    boolean known(MessageId id, long now) {
        return validating.containsKey(id) || seen.contains(id, now);
    }

    /** A message received from {@code from}. */
    void receive(PeerId from, Message m) {
        if (!m.hasTopic()) {
            return;
        }
        String topic = m.getTopic();
        if (PeerState.utf8Length(topic) > o.settings.maxTopicLength() || !o.subscriptions.contains(topic)) {
            return; // not relayed: this node only routes topics it subscribes to
        }
        long now = o.clock.getAsLong();
        boolean noSign = o.settings.noSign(topic);
        MessageId id = SignedMessages.id(m, noSign, o.settings.messageIdFunction());
        byte[] idBytes = id.toBytes();
        if (!seen.add(id, now)) {
            o.scoring.duplicateMessage(from, idBytes, topic);
            return;
        }
        counters.received.increment();
        promises.fulfilled(id);
        if (m.hasFrom() && m.getFrom().equals(selfBytes)) {
            // claims to be ours but was not published here (e.g. replayed after a restart): not scored
            o.scoring.rejectMessage(from, idBytes, topic, Rejection.IGNORED);
            counters.ignored.increment();
            return;
        }
        o.scoring.validateMessage(from, idBytes, topic);
        String problem = SignedMessages.problem(m, noSign, signing);
        if (problem != null) {
            o.scoring.rejectMessage(from, idBytes, topic, Rejection.INVALID_SIGNATURE);
            counters.rejected.increment();
            return;
        }
        if (m.getSerializedSize() > o.settings.maxMessageBytes()) {
            o.scoring.rejectMessage(from, idBytes, topic, Rejection.MALFORMED);
            counters.rejected.increment();
            return;
        }
        if (m.getSerializedSize() >= o.settings.idontwantMinBytes()) {
            for (PeerId p : o.mesh.getOrDefault(topic, Set.of())) {
                PeerState s = o.peers.get(p);
                if (!p.equals(from) && s != null && s.idontwant()) {
                    o.outbox.idontwant(p, List.of(id));
                }
            }
        }
        if (validating.size() >= o.settings.validationQueue()) {
            o.scoring.rejectMessage(from, idBytes, topic, Rejection.IGNORED);
            counters.ignored.increment();
            return;
        }
        PubSubMessage api;
        try {
            api = toApi(m, id, from);
        } catch (MultiformatException e) {
            o.scoring.rejectMessage(from, idBytes, topic, Rejection.MALFORMED);
            counters.rejected.increment();
            return;
        }
        startValidation(new Validation(id, m, api, from, topic, now, null));
    }

    /** Builds, checks and validates this node's message; the future completes on the router thread. */
    CompletableFuture<PublishResult> publish(String topic, byte[] data) {
        CompletableFuture<PublishResult> f = new CompletableFuture<>();
        if (topic.isEmpty() || PeerState.utf8Length(topic) > o.settings.maxTopicLength()) {
            f.completeExceptionally(new PublishException(PublishException.Reason.TOO_LARGE, "publish to topic '"
                    + topic + "': the topic name must be 1.." + o.settings.maxTopicLength() + " bytes"));
            return f;
        }
        boolean noSign = o.settings.noSign(topic);
        Message m = noSign ? SignedMessages.unsigned(topic, data)
                : SignedMessages.signed(o.self, signing, topic, data, SignedMessages.nextSeqno());
        if (m.getSerializedSize() > o.settings.maxMessageBytes()) {
            return failed(f, PublishException.Reason.TOO_LARGE, "publish to topic '" + topic + "': message of "
                    + m.getSerializedSize() + " bytes exceeds the limit of " + o.settings.maxMessageBytes());
        }
        long now = o.clock.getAsLong();
        MessageId id = SignedMessages.id(m, noSign, o.settings.messageIdFunction());
        if (known(id, now)) {
            return failed(f, PublishException.Reason.DUPLICATE, "publish to topic '" + topic + "': message "
                    + id + " was already seen");
        }
        if (!o.settings.allowPublishToZeroPeers() && publishTargets(topic, false).isEmpty()) {
            return failed(f, PublishException.Reason.NO_PEERS, "publish to topic '" + topic
                    + "': no peer is subscribed to it");
        }
        if (validating.size() >= o.settings.validationQueue()) {
            return failed(f, PublishException.Reason.REJECTED, "publish to topic '" + topic
                    + "': the validation queue is full (" + o.settings.validationQueue() + ")");
        }
        startValidation(new Validation(id, m, toApi(m, id, o.self), o.self, topic, now, f));
        return f;
    }

    private static CompletableFuture<PublishResult> failed(CompletableFuture<PublishResult> f,
            PublishException.Reason reason, String message) {
        f.completeExceptionally(new PublishException(reason, message));
        return f;
    }

    private void startValidation(Validation v) {
        validating.put(v.id, v);
        validator.validate(v.from, v.api, verdict -> {
            if (v.answered.compareAndSet(false, true)) {
                try {
                    executor.execute(() -> verdict(v, verdict == null ? ValidationResult.IGNORE : verdict));
                } catch (RejectedExecutionException stopped) {
                    // the router is gone
                }
            }
        });
    }

    /** The validator's verdict, on the router thread (re-entered through the executor). */
    void verdict(Validation v, ValidationResult result) {
        if (validating.get(v.id) != v) {
            return; // timed out
        }
        validating.remove(v.id);
        if (v.publication != null) {
            published(v, result);
            o.outbox.flush();
            return;
        }
        byte[] idBytes = v.id.toBytes();
        switch (result) {
            case ACCEPT -> {
                counters.delivered.increment();
                mcache.put(v.id, v.message, v.topic);
                o.scoring.deliverMessage(v.from, idBytes, v.topic);
                if (o.subscriptions.contains(v.topic)) {
                    o.listener.deliver(v.api);
                }
                forward(v.id, v.message, v.topic, v.from);
            }
            case REJECT -> {
                counters.rejected.increment();
                o.scoring.rejectMessage(v.from, idBytes, v.topic, Rejection.VALIDATOR_REJECTED);
            }
            case IGNORE -> {
                counters.ignored.increment();
                o.scoring.rejectMessage(v.from, idBytes, v.topic, Rejection.IGNORED);
            }
        }
        o.outbox.flush();
    }

    private void published(Validation v, ValidationResult result) {
        if (result != ValidationResult.ACCEPT) {
            failed(v.publication, PublishException.Reason.REJECTED, "publish to topic '" + v.topic
                    + "': the local validator answered " + result);
            return;
        }
        long now = o.clock.getAsLong();
        if (!seen.add(v.id, now)) {
            failed(v.publication, PublishException.Reason.DUPLICATE, "publish to topic '" + v.topic
                    + "': message " + v.id + " was already seen");
            return;
        }
        List<PeerId> targets = publishTargets(v.topic, true);
        if (targets.isEmpty() && !o.settings.allowPublishToZeroPeers()) {
            failed(v.publication, PublishException.Reason.NO_PEERS, "publish to topic '" + v.topic
                    + "': no peer is subscribed to it");
            return;
        }
        mcache.put(v.id, v.message, v.topic);
        for (PeerId p : targets) {
            o.outbox.message(p, v.message);
        }
        if (o.settings.emitSelf() && o.subscriptions.contains(v.topic)) {
            o.listener.deliver(v.api);
        }
        counters.published.increment();
        v.publication.complete(new PublishResult(v.id.toBytes(), targets));
    }

    /**
     * The peers an own message goes to: with flood publishing every topic peer at or above the publish
     * threshold; else the mesh (subscribed) or the fanout (created with D peers when {@code commit}),
     * plus floodsub peers of the topic.
     */
    List<PeerId> publishTargets(String topic, boolean commit) {
        double threshold = o.settings.thresholds().publish();
        Set<PeerId> out = new LinkedHashSet<>();
        if (o.settings.floodPublish()) {
            for (PeerId p : o.topicPeers(topic)) {
                if (o.score(p) >= threshold) {
                    out.add(p);
                }
            }
            return new ArrayList<>(out);
        }
        if (o.subscriptions.contains(topic)) {
            out.addAll(o.mesh.getOrDefault(topic, Set.of()));
        } else {
            Set<PeerId> fan = o.fanout.get(topic);
            if (fan == null || fan.isEmpty()) {
                fan = new LinkedHashSet<>(o.pick(topic, o.settings.d(), p -> o.score(p) >= threshold));
                if (commit && !fan.isEmpty()) {
                    o.fanout.put(topic, fan);
                }
            }
            if (commit && o.fanout.containsKey(topic)) {
                o.fanoutLastPublished.put(topic, o.clock.getAsLong());
            }
            out.addAll(fan);
        }
        for (PeerId p : o.topicPeers(topic)) {
            if (o.isFloodsub(p) && o.score(p) >= threshold) {
                out.add(p);
            }
        }
        return new ArrayList<>(out);
    }

    /** Sends a validated message to the mesh and floodsub peers of its topic except the source, the author and IDONTWANTs. */
    void forward(MessageId id, Message m, String topic, PeerId source) {
        Set<PeerId> targets = new LinkedHashSet<>(o.mesh.getOrDefault(topic, Set.of()));
        for (PeerId p : o.topicPeers(topic)) {
            if (o.isFloodsub(p) && o.score(p) >= o.settings.thresholds().publish()) {
                targets.add(p);
            }
        }
        for (PeerId p : targets) {
            PeerState s = o.peers.get(p);
            if (s == null || p.equals(source) || s.dontWant.containsKey(id)
                    || (m.hasFrom() && m.getFrom().equals(ByteString.copyFrom(p.toBytes())))) {
                continue;
            }
            o.outbox.message(p, m);
        }
    }

    /** Validations older than the timeout count as IGNORE (run at each heartbeat). */
    void timeouts(long now) {
        long timeout = o.settings.validationTimeout().toMillis();
        List<Validation> expired = new ArrayList<>();
        for (Iterator<Validation> it = validating.values().iterator(); it.hasNext(); ) {
            Validation v = it.next();
            if (v.started + timeout <= now) {
                expired.add(v);
            }
        }
        for (Validation v : expired) {
            v.answered.set(true);
            verdict(v, ValidationResult.IGNORE);
        }
    }

    private static PubSubMessage toApi(Message m, MessageId id, PeerId receivedFrom) {
        Optional<PeerId> from = m.hasFrom() ? Optional.of(PeerId.fromBytes(m.getFrom().toByteArray())) : Optional.empty();
        OptionalLong seqno = m.hasSeqno() && m.getSeqno().size() == 8
                ? OptionalLong.of(ByteBuffer.wrap(m.getSeqno().toByteArray()).getLong()) : OptionalLong.empty();
        return new PubSubMessage(m.getTopic(), m.getData().toByteArray(), from, seqno, id.toBytes(), receivedFrom);
    }
}
