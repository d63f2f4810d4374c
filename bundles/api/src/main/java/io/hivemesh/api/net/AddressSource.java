package io.hivemesh.api.net;

/**
 * Where the peer store learned an address, from most to least trusted. Addresses of a more trusted
 * source are never evicted to make room for less trusted ones, and each source has its own time to
 * live (longest for {@link #CONNECTED}, shortest for {@link #THIRD_PARTY}).
 */
public enum AddressSource {
    /** A connection to or from this address was secured (the peer proved its key there). */
    CONNECTED,
    /** In a signed peer record (libp2p RFC 0003) whose signature and sequence number checked out. */
    CERTIFIED,
    /** Announced by the peer itself in Identify, unsigned. */
    IDENTIFY,
    /** Told by another peer (DHT replies, provider records): unverified, short-lived. */
    THIRD_PARTY
}
