package io.hivemesh.benchmarks.pubsub;

/**
 * What one {@link GossipSim} scenario measured: delivery to the surviving honest nodes, latency,
 * copies and gossip per delivered message, spammer isolation, and the run's cost.
 */
record SimResult(SimConfig cfg, boolean complete, int survivors, long expected, long delivered, int p50,
        int p99, int max, double copiesPerDelivery, double iwantPerDelivery, double spamIwantPerDelivery,
        double ihavePerDelivery, int spammers,
        int isolated, double isolationP50, double isolationMax, double spamGraylistedShare, long spamDelivered,
        long events, double wallSeconds, long verifications, long honestPairs, long honestNegative,
        double minHonestScore, double meanMesh) {

    double deliveryRate() {
        return expected == 0 ? 0 : (double) delivered / expected;
    }

    /** The p99 goal: 3 × the mean one-way delay × log₆(N). */
    double p99Goal() {
        return 3 * cfg.meanDelayMs() * Math.log(cfg.nodes()) / Math.log(6);
    }

    /** Prints the figures, one line per aspect. */
    void print() {
        SimConfig c = cfg;
        String scenario = String.format("N=%d kill=%.0f%% spam=%.0f%%%s", c.nodes(), c.killFraction() * 100,
                c.spamFraction() * 100, c.jsScoring() ? " (js scoring: unconfigured topic unscored)" : "");
        System.out.printf("%s%s: delivery %.3f%% (%d/%d to %d survivors), latency p50 %d ms p99 %d ms max %d ms"
                        + " (p99 goal %.0f ms), copies/delivery %.2f (duplicates %.2f), IWANT ids/delivery %.3f"
                        + " (+ %.3f for spam), IHAVE ids/delivery %.2f%n",
                scenario, complete() ? "" : " TRUNCATED", deliveryRate() * 100, delivered(), expected(),
                survivors(), p50(), p99(), max(), p99Goal(), copiesPerDelivery(),
                copiesPerDelivery() - 1, iwantPerDelivery(), spamIwantPerDelivery(), ihavePerDelivery());
        if (spammers() > 0) {
            System.out.printf("%s: spammers isolated %d/%d, time to isolation p50 %.1f max %.1f heartbeats,"
                            + " spam copies from graylisted senders %.1f%%, spam delivered to apps %d%n",
                    scenario, isolated(), spammers(), isolationP50(), isolationMax(),
                    spamGraylistedShare() * 100, spamDelivered());
        }
        System.out.printf("%s: mean mesh size %.2f, honest neighbour pairs with a negative score %d/%d"
                + " (lowest %.2f)%n", scenario, meanMesh(), honestNegative(), honestPairs(), minHonestScore());
        System.out.printf("%s: %d events, %d signature checks, %.1f s wall%n", scenario, events(),
                verifications(), wallSeconds());
    }
}
