package io.hivemesh.api.discovery;

/** How a peer was found. */
public enum DiscoverySource {
    /** A {@code bootstrap} address of the configuration (possibly through {@code /dnsaddr/}). */
    BOOTSTRAP,
    /** A multicast DNS response on the local network. */
    MDNS,
    /** A DHT random walk. */
    DHT_WALK,
    /** Gossipsub peer exchange (a PRUNE carrying peers). */
    PEER_EXCHANGE,
    /** It connected to this node, or this node dialed it on request. */
    CONNECTION
}
