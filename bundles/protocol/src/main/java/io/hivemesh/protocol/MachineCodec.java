package io.hivemesh.protocol;

import java.util.Objects;

/**
 * The FlatBuffers wire form of {@link MachineMessage}s ({@code src/main/fbs/machine.fbs}: a root
 * table {@code Frame} holding the union {@code Message}, file identifier {@code HMM1}).
 *
 * <p>{@link #decode(byte[])} checks, in this order: the frame size (at most
 * {@value #MAX_MESSAGE_BYTES} bytes); the FlatBuffers structure (a verifier over the raw bytes:
 * every offset, vtable, string and vector in bounds and aligned, strings NUL-terminated, tables
 * nested at most {@value #MAX_DEPTH} deep and at most {@value #MAX_TABLES} of them, required
 * fields present, union tag known, string, byte-field and list lengths within the limits below);
 * then the field rules (strict UTF-8, PeerIds through {@code PeerId.fromBytes}, {@code Bid.score}
 * finite). Anything else than a valid message is a {@link MalformedMessageException} naming the
 * field, for every input.
 *
 * <p>Nullability: identifiers, PeerIds, byte fields and lists are required (never null); the free
 * texts {@code DeployResult.reason}, {@code StatusReport.reason}, {@code ShareGrant.refusal},
 * {@code WorkloadEvent.message} and {@code LogsChunk.refusal} may be null, and a null one
 * round-trips as null (an empty one as empty). A {@code Bid.score} of -0.0 arrives as 0.0.
 *
 * <p>Stateless and thread-safe.
 */
public final class MachineCodec {
    /** Largest frame {@link #decode(byte[])} accepts and {@link #encode(MachineMessage)} produces. */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    /** Deepest nesting of tables the verifier follows (the schema needs 4). */
    public static final int MAX_DEPTH = 8;
    /** Most tables the verifier visits in one frame. */
    public static final int MAX_TABLES = 100_000;

    /** Longest PeerId binary form (a sha2-256 multihash is 34 bytes, an inlined Ed25519 key 38). */
    public static final int MAX_PEER_ID_BYTES = 64;
    /** Longest capability token ({@code ShareRequest.token}, {@code CapabilityGrant.token}). */
    public static final int MAX_TOKEN_BYTES = 16 * 1024;
    /** Longest sealed key share ({@code ShareDeposit.sealed_share}, {@code ShareGrant.sealed_share}). */
    public static final int MAX_SEALED_SHARE_BYTES = 8 * 1024;
    /** Longest public key ({@code NodeKeysRecord} KEM and ML-DSA keys). */
    public static final int MAX_KEY_BYTES = 4 * 1024;
    /** Longest sealed manifest ({@code ManifestDelivery.ciphertext}). */
    public static final int MAX_CIPHERTEXT_BYTES = 2 * 1024 * 1024;
    /** Longest AEAD nonce ({@code ManifestDelivery.nonce}). */
    public static final int MAX_NONCE_BYTES = 256;
    /** Longest share-collection challenge ({@code ShareRequest.challenge}, {@code ShareGrant.challenge}). */
    public static final int MAX_CHALLENGE_BYTES = 1024;
    /** Longest presenter signature ({@code ShareRequest.signature}). */
    public static final int MAX_SIGNATURE_BYTES = 8 * 1024;

    private MachineCodec() {
    }

    /**
     * The frame of {@code message}. Never fails for a valid record; a record the decoder would
     * refuse (a required field null, a string, list or byte field over its limit, a string that
     * is not valid Unicode, a non-finite score) is an {@link IllegalArgumentException} naming the
     * field, so that a bad message fails at its sender.
     */
    public static byte[] encode(MachineMessage message) {
        return new FrameEncoder().encode(Objects.requireNonNull(message, "message"));
    }

    /**
     * The message in {@code frame}, verified as the class comment says.
     *
     * @throws MalformedMessageException naming the problem, for any frame that is not a valid message
     */
    public static MachineMessage decode(byte[] frame) {
        if (frame == null) {
            throw new MalformedMessageException("frame: null");
        }
        if (frame.length > MAX_MESSAGE_BYTES) {
            throw new MalformedMessageException("frame: " + frame.length + " bytes exceeds the limit of "
                    + MAX_MESSAGE_BYTES);
        }
        FrameVerifier.verify(frame);
        try {
            return FrameDecoder.decode(frame);
        } catch (MalformedMessageException e) {
            throw e;
        } catch (RuntimeException e) {
            // Unreachable after the verifier; kept so that no other exception ever escapes.
            throw new MalformedMessageException("frame: undecodable after verification: " + e, e);
        }
    }

    /**
     * The message in {@code frame}, which must be a {@code kind}.
     *
     * @throws MalformedMessageException if the frame is malformed or holds another kind
     */
    public static <T extends MachineMessage> T decode(byte[] frame, Class<T> kind) {
        Objects.requireNonNull(kind, "kind");
        MachineMessage message = decode(frame);
        if (!kind.isInstance(message)) {
            throw new MalformedMessageException("frame: expected a " + kind.getSimpleName() + ", got a "
                    + message.getClass().getSimpleName());
        }
        return kind.cast(message);
    }
}
