/**
 * The machine-plane messages: plain records ({@link io.hivemesh.protocol.MachineMessage} and its
 * kinds), their FlatBuffers wire form ({@link io.hivemesh.protocol.MachineCodec}, verifier first,
 * bounded) and their signed-envelope form ({@link io.hivemesh.protocol.SignedMessages}).
 */
@Export
@Version("0.1.0")
package io.hivemesh.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
