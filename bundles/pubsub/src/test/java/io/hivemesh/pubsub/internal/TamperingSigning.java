package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.transport.internal.TestIdentity;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link MessageSigning} for test nodes ({@link TestIdentitySigning} over a {@link TestIdentity}) that is
 * also the test-only way to make a Java node publish wrongly signed messages: after
 * {@link #tamperNext(int)}, that many of the node's next signatures come out with one bit flipped, and
 * the node sends them on its own streams as it would any publication. Production code has no such path.
 */
final class TamperingSigning implements MessageSigning {
    private final TestIdentitySigning signing;
    private final AtomicInteger tamper = new AtomicInteger();

    TamperingSigning(TestIdentity identity) {
        this.signing = new TestIdentitySigning(identity);
    }

    /** The next {@code count} signatures are broken. */
    void tamperNext(int count) {
        tamper.set(count);
    }

    @Override
    public PublicKey publicKey() {
        return signing.publicKey();
    }

    @Override
    public byte[] sign(byte[] bytes) {
        byte[] sig = signing.sign(bytes);
        if (tamper.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            sig[7] ^= 0x01;
        }
        return sig;
    }

    @Override
    public boolean verify(PublicKey key, byte[] bytes, byte[] signature) {
        return signing.verify(key, bytes, signature);
    }
}
