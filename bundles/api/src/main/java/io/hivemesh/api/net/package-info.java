/**
 * Networking contracts: the libp2p {@link io.hivemesh.api.net.Host}, its connections and streams,
 * the {@link io.hivemesh.api.net.ProtocolHandler} whiteboard and the
 * {@link io.hivemesh.api.net.PeerStore}.
 */
@Export
@Version("0.6.0")
package io.hivemesh.api.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
