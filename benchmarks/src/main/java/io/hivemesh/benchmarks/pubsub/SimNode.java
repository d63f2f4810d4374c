package io.hivemesh.benchmarks.pubsub;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSubEvent;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.ValidationResult;
import io.hivemesh.pubsub.internal.GossipNetwork;
import io.hivemesh.pubsub.internal.GossipRouter;
import io.hivemesh.pubsub.internal.GossipSettings;
import io.hivemesh.pubsub.internal.MessageValidator;
import io.hivemesh.pubsub.internal.PeerScore;
import io.hivemesh.pubsub.internal.RouterListener;
import io.hivemesh.pubsub.internal.ScoreParams;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * One simulated node: a real {@link GossipRouter} with a real {@link PeerScore} and Ed25519 signing,
 * driven on the simulation thread (its executor is the event queue, its clock virtual time), and its
 * side of the in-memory links. Honest nodes' validator rejects payloads marked as spam.
 */
final class SimNode implements GossipNetwork, RouterListener {
    /** First payload byte of an honest message. */
    static final byte HONEST = 'H';
    /** First payload byte of a spam message (every honest validator rejects it). */
    static final byte SPAM = 'S';

    final int index;
    final PeerId id;
    final boolean spammer;
    final SimSigning signing;
    final PeerScore score;
    final GossipRouter router;
    /** Neighbour → one-way delay in ms. */
    final Map<PeerId, Integer> links = new HashMap<>();
    boolean alive = true;
    private final GossipSim sim;

    SimNode(GossipSim sim, int index, boolean spammer, GossipSettings settings, ScoreParams scoreParams,
            SecureRandom keys, long seed) {
        this.sim = sim;
        this.index = index;
        this.spammer = spammer;
        this.signing = new SimSigning(keys);
        this.id = PeerId.fromPublicKey(signing.publicKey());
        this.score = new PeerScore(scoreParams, settings.seenTtl(), sim.clock);
        MessageValidator validator = spammer ? MessageValidator.ACCEPT_ALL
                : (from, message, done) -> done.accept(message.data().length > 0 && message.data()[0] == SPAM
                        ? ValidationResult.REJECT : ValidationResult.ACCEPT);
        this.router = new GossipRouter(id, settings, this, score, signing, validator, this, sim.clock,
                new Random(seed), sim.clock::soon);
    }

    @Override
    public boolean send(PeerId peer, RPC rpc) {
        Integer delay = links.get(peer);
        if (!alive || delay == null) {
            return false;
        }
        sim.clock.at(sim.clock.now() + delay, () -> sim.arrive(this, peer, rpc));
        return true;
    }

    @Override
    public void dropPeer(PeerId peer, String reason) {
        sim.stats.drops++;
        sim.disconnect(this, peer);
    }

    @Override
    public void deliver(PubSubMessage message) {
        sim.delivered(this, message);
    }

    @Override
    public void event(PubSubEvent event) {
        // the overlay changes are read from the routers directly
    }

    @Override
    public void peerExchange(PeerId peer, byte[] signedPeerRecord) {
        // PX is off (the default)
    }
}
