/**
 * Multiformats value types: unsigned varints, multibase, multihash, multicodec, CIDs and
 * multiaddrs. Every type here is immutable and thread-safe; every decoder and parser is strict,
 * bounded, and reports malformed input as a {@link io.hivemesh.api.multiformats.MultiformatException}
 * whose message names the problem. Only the JDK is used.
 */
@Export
@Version("0.1.0")
package io.hivemesh.api.multiformats;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
