package io.hivemesh.transport.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.transport.internal.proto.Libp2pProto.NoiseExtensions;
import io.hivemesh.transport.internal.proto.Libp2pProto.NoiseHandshakePayload;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The libp2p Noise handshake payload (libp2p/specs noise/README.md, "libp2p Data in Handshake
 * Messages"): the identity public key, its signature over {@code "noise-libp2p-static-key:" || static key},
 * and the {@code stream_muxers} extension for early muxer negotiation.
 */
final class NoisePayloads {
    static final byte[] SIGNATURE_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
    /** Payloads are at most one Noise message. */
    static final int MAX_PAYLOAD = 65535;

    /** What the remote proved in its payload. */
    record Remote(PeerId peerId, PublicKey publicKey, List<String> muxers, boolean muxersSent) {
    }

    private NoisePayloads() {
    }

    static byte[] build(NodeIdentity identity, byte[] localStatic, List<String> muxers) {
        byte[] signature = identity.sign(concat(SIGNATURE_PREFIX, localStatic));
        NoiseHandshakePayload.Builder b = NoiseHandshakePayload.newBuilder()
                .setIdentityKey(ByteString.copyFrom(identity.publicKey().toProtobuf()))
                .setIdentitySig(ByteString.copyFrom(signature));
        if (!muxers.isEmpty()) {
            b.setExtensions(NoiseExtensions.newBuilder().addAllStreamMuxers(muxers));
        }
        return b.build().toByteArray();
    }

    /**
     * Decodes and verifies the remote's payload against its static key.
     *
     * @throws ProtocolViolationException if the payload is malformed, the key is invalid, or the
     *     signature does not verify
     */
    static Remote verify(byte[] payload, byte[] remoteStatic) {
        NoiseHandshakePayload p;
        try {
            p = NoiseHandshakePayload.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new ProtocolViolationException("noise: malformed handshake payload: " + e.getMessage(), e);
        }
        if (!p.hasIdentityKey() || !p.hasIdentitySig()) {
            throw new ProtocolViolationException("noise: handshake payload lacks identity_key or identity_sig");
        }
        PublicKey key;
        try {
            key = PublicKey.fromProtobuf(p.getIdentityKey().toByteArray());
        } catch (MultiformatException e) {
            throw new ProtocolViolationException("noise: invalid identity key: " + e.getMessage(), e);
        }
        if (!Signatures.verify(key, concat(SIGNATURE_PREFIX, remoteStatic), p.getIdentitySig().toByteArray())) {
            throw new ProtocolViolationException("noise: identity signature over the static key does not verify ("
                    + key.type() + " key)");
        }
        boolean sent = p.hasExtensions() && p.getExtensions().getStreamMuxersCount() > 0;
        List<String> muxers = sent ? List.copyOf(p.getExtensions().getStreamMuxersList()) : List.of();
        return new Remote(PeerId.fromPublicKey(key), key, muxers, sent);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
