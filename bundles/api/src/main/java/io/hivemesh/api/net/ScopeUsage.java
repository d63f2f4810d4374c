package io.hivemesh.api.net;

/**
 * One resource-manager scope as the operator sees it: usage against limits. A limit of
 * {@code Long.MAX_VALUE} / {@code Integer.MAX_VALUE} means none applies at this scope.
 *
 * @param scope   {@code system}, {@code transient}, {@code peer:<id>}, {@code protocol:<id>},
 *                {@code connection:<n>} or {@code stream:<n>}
 */
public record ScopeUsage(String scope, long memory, long memoryLimit, int inboundConnections,
        int inboundConnectionsLimit, int outboundConnections, int outboundConnectionsLimit, int inboundStreams,
        int inboundStreamsLimit, int outboundStreams, int outboundStreamsLimit) {
}
