/**
 * Container runtime contracts: the {@link io.hivemesh.api.runtime.RuntimeEngine} whiteboard and the
 * values it exchanges.
 */
@Export
@Version("0.2.0")
package io.hivemesh.api.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
