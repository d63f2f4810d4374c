/**
 * Routing contracts provided by the DHT: records ({@link io.hivemesh.api.routing.ValueStore}),
 * providers ({@link io.hivemesh.api.routing.ContentRouting}), peers
 * ({@link io.hivemesh.api.routing.PeerRouting}) and the per-namespace
 * {@link io.hivemesh.api.routing.RecordValidator} whiteboard, and the operator view
 * {@link io.hivemesh.api.routing.RoutingTableInfo}.
 */
@Export
@Version("0.4.0")
package io.hivemesh.api.routing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
