package io.hivemesh.api.routing;

import java.util.List;

/**
 * The DHT queries of one kind that this node started, as a cumulative histogram of their durations
 * (from the call to the completion of its future).
 *
 * @param kind             one of {@link #KINDS}
 * @param count            queries completed, successful or not
 * @param failures         queries that completed exceptionally
 * @param sumSeconds       their durations added up, in seconds
 * @param upperBounds      bucket upper bounds in seconds, ascending, the last {@code +Inf}
 * @param cumulativeCounts for each bound, the queries that took at most that long (the last equals {@code count})
 */
public record QueryStats(String kind, long count, long failures, double sumSeconds, List<Double> upperBounds,
                         List<Long> cumulativeCounts) {

    /** The kinds of query: the methods of {@link ValueStore}, {@link ContentRouting} and {@link PeerRouting}. */
    public static final List<String> KINDS = List.of("put_value", "get_value", "provide", "find_providers",
            "find_peer", "closest_peers");

    public QueryStats {
        upperBounds = List.copyOf(upperBounds);
        cumulativeCounts = List.copyOf(cumulativeCounts);
        if (upperBounds.size() != cumulativeCounts.size() || upperBounds.isEmpty()
                || upperBounds.get(upperBounds.size() - 1) != Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("query stats of '" + kind + "': " + upperBounds.size()
                    + " bounds (the last must be +Inf) for " + cumulativeCounts.size() + " counts");
        }
    }
}
