/**
 * libp2p peer identity: key types, the libp2p {@code PublicKey}/{@code PrivateKey} protobuf
 * encodings (written and read by hand, strictly and deterministically) and {@link
 * io.hivemesh.api.peer.PeerId}. Every type here is immutable and thread-safe; malformed input is a
 * {@link io.hivemesh.api.multiformats.MultiformatException}. Signing and verification live in the
 * crypto bundle.
 */
@Export
@Version("0.1.0")
package io.hivemesh.api.peer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
