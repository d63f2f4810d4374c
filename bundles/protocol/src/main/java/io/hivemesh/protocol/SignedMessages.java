package io.hivemesh.protocol;

import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.crypto.Signer;
import io.hivemesh.api.crypto.VerifiedEnvelope;
import io.hivemesh.api.peer.PeerId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Machine-plane messages in the crypto bundle's signed envelope (payload type
 * {@value #PAYLOAD_TYPE}, payload {@link MachineCodec#encode(MachineMessage)}, with the signer's
 * key, timestamp and nonce). Stateless; thread-safe as the {@link Signer} is.
 */
public final class SignedMessages {
    /** The envelope payload type of every machine-plane message. */
    public static final String PAYLOAD_TYPE = "/hivemesh/machine/1";

    private SignedMessages() {
    }

    /** The envelope of {@code message}, signed by {@code signer}'s node; see {@link MachineCodec#encode}. */
    public static byte[] sign(Signer signer, MachineMessage message) {
        Objects.requireNonNull(signer, "signer");
        return signer.sign(PAYLOAD_TYPE, MachineCodec.encode(message));
    }

    /**
     * Opens an envelope. In this order: {@link Signer#verify} (signature, timestamp skew, nonce
     * against replay: an envelope opens once per node), the payload type, {@link MachineCodec#decode},
     * then, when the message has an {@link MachineMessage#author() author}, that the envelope's
     * signer is that author.
     *
     * @throws CryptoException from the signer naming the failed check, or if the signer is not
     *     the message's author (a forged message)
     * @throws MalformedMessageException if the payload type is not {@value #PAYLOAD_TYPE} or the
     *     payload is not a valid message
     */
    public static Verified open(Signer signer, byte[] envelope) {
        Objects.requireNonNull(signer, "signer");
        if (envelope == null) {
            throw new MalformedMessageException("envelope: null");
        }
        VerifiedEnvelope verified = signer.verify(envelope, Optional.empty());
        if (!PAYLOAD_TYPE.equals(verified.payloadType())) {
            throw new MalformedMessageException("envelope: payload type '" + verified.payloadType()
                    + "' is not " + PAYLOAD_TYPE);
        }
        MachineMessage message = MachineCodec.decode(verified.payload());
        PeerId author = message.author();
        if (author != null && !author.equals(verified.signer())) {
            throw new CryptoException("envelope: signed by " + verified.signer() + " but the "
                    + message.getClass().getSimpleName() + "'s author is " + author);
        }
        return new Verified(message, verified.signer(), verified.timestamp());
    }

    /** An opened envelope: the message, the peer that signed it and when (the signer's clock). */
    public record Verified(MachineMessage message, PeerId signer, Instant timestamp) {
        public Verified {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(signer, "signer");
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }
}
