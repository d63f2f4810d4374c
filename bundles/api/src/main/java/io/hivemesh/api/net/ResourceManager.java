package io.hivemesh.api.net;

import java.util.List;

/**
 * The transport's resource manager as the operator sees it (modelled on go-libp2p's): scopes for
 * the system, connections and streams still in their handshake (transient), each peer, each
 * protocol, each connection and each stream, with limits on connections, streams and buffered
 * bytes. Limits are set in the configuration {@code io.hivemesh.transport.limits}. Thread-safe.
 */
public interface ResourceManager {

    /** The system and transient scopes, then every peer and protocol scope in use. */
    List<ScopeUsage> usage();

    /** The system scope alone. */
    ScopeUsage system();
}
