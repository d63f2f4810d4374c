package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.transport.internal.TestIdentity;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * {@link MessageSigning} for test nodes: signs with a {@link TestIdentity}, verifies Ed25519 (the only
 * key type in these tests; anything else fails verification), and is the test-only way to make a Java
 * node publish wrongly signed messages: after {@link #tamperNext(int)}, that many of the node's next
 * signatures come out with one bit flipped. Production code has no such path.
 */
final class TamperingSigning implements MessageSigning {
    private final TestIdentity identity;
    private final AtomicInteger tamper = new AtomicInteger();

    TamperingSigning(TestIdentity identity) {
        this.identity = identity;
    }

    /** The next {@code count} signatures are broken. */
    void tamperNext(int count) {
        tamper.set(count);
    }

    @Override
    public PublicKey publicKey() {
        return identity.publicKey();
    }

    @Override
    public byte[] sign(byte[] bytes) {
        byte[] sig = identity.sign(bytes);
        if (tamper.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            sig[7] ^= 0x01;
        }
        return sig;
    }

    @Override
    public boolean verify(PublicKey key, byte[] bytes, byte[] signature) {
        if (key.type() != KeyType.ED25519 || signature.length != 64) {
            return false;
        }
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, new Ed25519PublicKeyParameters(key.data(), 0));
        v.update(bytes, 0, bytes.length);
        return v.verifySignature(signature);
    }
}
