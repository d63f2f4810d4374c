/**
 * Peer discovery contracts: the {@link io.hivemesh.api.discovery.Discovery} service (bootstrap,
 * mDNS, DHT random walk, pubsub peer exchange) and the
 * {@link io.hivemesh.api.discovery.ConnectionManager} that keeps the connection count between its
 * water marks.
 */
@Export
@Version("0.1.0")
package io.hivemesh.api.discovery;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
