/**
 * Cryptography contracts: the node identity, signed envelopes, sealing to a node's KEM key,
 * threshold secret sharing and capability tokens.
 */
@Export
@Version("0.2.0")
package io.hivemesh.api.crypto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
