package io.hivemesh.benchmarks.pubsub;

/**
 * One {@link GossipSim} scenario's parameters.
 *
 * @param nodes node count
 * @param messages honest messages published
 * @param killFraction nodes that crash 1 s into the publishing
 * @param spamFraction nodes that spam invalid messages
 * @param seed seed of the topology, delays, keys and choices
 * @param minDelayMs shortest one-way link delay
 * @param maxDelayMs longest one-way link delay
 * @param dial peers each node dials
 * @param payloadBytes message payload size
 * @param publishIntervalMs time between honest publications
 * @param warmupMs virtual time before the first publication
 * @param drainMs virtual time after the last publication
 * @param spamIntervalMs time between a spammer's messages
 * @param jsScoring js-libp2p's scoring: topics without explicit parameters are not scored
 */
record SimConfig(int nodes, int messages, double killFraction, double spamFraction, long seed, int minDelayMs,
        int maxDelayMs, int dial, int payloadBytes, int publishIntervalMs, int warmupMs, int drainMs,
        int spamIntervalMs, boolean jsScoring) {

    double meanDelayMs() {
        return (minDelayMs + maxDelayMs) / 2.0;
    }

    /** The common setup in one line (scenario fractions aside). */
    String describe() {
        return String.format("gossipsub simulation: %d nodes, each dials %d, one-way delay uniform %d-%d ms"
                + " (mean %.0f), %d messages of %d bytes every %d ms after %d s warm-up, %d s drain; GossipSettings"
                + " and ScoreParams defaults, StrictSign Ed25519", nodes, dial, minDelayMs, maxDelayMs, meanDelayMs(),
                messages, payloadBytes, publishIntervalMs, warmupMs / 1000, drainMs / 1000);
    }

    /** The scenarios: kill0, kill10, kill30, spam10, spam10js; 20-80 ms links, each node dials 10. */
    static SimConfig of(int n, String scenario, int messages, long seed) {
        double kill = switch (scenario) {
            case "kill0", "spam10", "spam10js" -> 0;
            case "kill10" -> 0.10;
            case "kill30" -> 0.30;
            default -> throw new IllegalArgumentException("unknown scenario '" + scenario
                    + "' (kill0, kill10, kill30, spam10, spam10js)");
        };
        double spam = scenario.startsWith("spam10") ? 0.10 : 0;
        return new SimConfig(n, messages, kill, spam, seed, 20, 80, 10, 256, 200, 15_000, 20_000, 500,
                scenario.equals("spam10js"));
    }
}
