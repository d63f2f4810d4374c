package io.hivemesh.pubsub.internal;

/**
 * The gossipsub v1.1 score thresholds the router applies (the score itself comes from {@link PeerScoring}).
 *
 * @param gossip             below it a peer's IHAVE/IWANT are ignored and it gets no gossip (≤ 0)
 * @param publish            below it a peer gets no flood-published or fanout messages (≤ gossip)
 * @param graylist           below it every RPC from the peer is ignored (≤ publish)
 * @param acceptPx           at or above it PX in the peer's PRUNEs is used (≥ 0)
 * @param opportunisticGraft below it the mesh median triggers opportunistic grafting (≥ 0)
 */
public record ScoreThresholds(double gossip, double publish, double graylist, double acceptPx,
        double opportunisticGraft) {

    /** The values of gossipsub v1.1 deployments and js-libp2p: −10, −50, −80, 10, 20. */
    public static final ScoreThresholds DEFAULTS = new ScoreThresholds(-10, -50, -80, 10, 20);

    public ScoreThresholds {
        if (!(gossip <= 0 && publish <= gossip && graylist <= publish && acceptPx >= 0 && opportunisticGraft >= 0)) {
            throw new IllegalArgumentException("score thresholds: need graylist <= publish <= gossip <= 0,"
                    + " acceptPx >= 0 and opportunisticGraft >= 0, got " + gossip + ", " + publish + ", "
                    + graylist + ", " + acceptPx + ", " + opportunisticGraft);
        }
    }
}
