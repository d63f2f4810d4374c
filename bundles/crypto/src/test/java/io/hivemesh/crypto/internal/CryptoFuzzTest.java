package io.hivemesh.crypto.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.crypto.SealContext;
import io.hivemesh.api.peer.PeerId;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Jazzer fuzz tests of every decoder of this bundle's formats: envelope, sealed message, secret
 * share, capability token. Oracle: the input is refused with a {@link CryptoException} (whose
 * message is never empty), or accepted and then consistent; any other exception is a finding.
 * Keys are fixed (derived from constant seeds) so that the seed corpora in
 * {@code CryptoFuzzTestInputs/<method>} hold valid messages the fuzzer mutates.
 */
class CryptoFuzzTest {
    private static final String DURATION = "30s";
    static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Ed25519Identity SENDER = new Ed25519Identity(filled(32, 1), "fuzz");
    static final Ed25519Identity RECIPIENT = new Ed25519Identity(filled(32, 2), "fuzz");
    static final KemKeyPair KEM = new KemKeyPair(filled(32, 3), filled(64, 4), Instant.EPOCH);
    static final SealContext CONTEXT = new SealContext(SENDER.peerId(), RECIPIENT.peerId(), "fuzz/type", "fuzz");
    static final HybridSealer SEALER = new HybridSealer(KemKeyRing.of(List.of(KEM), new SecureRandom(), CLOCK),
            new SecureRandom(), 10);

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static void refused(CryptoException e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("CryptoException without a message", e);
        }
    }

    @FuzzTest(maxDuration = DURATION)
    void envelopeVerify(byte[] input) {
        EnvelopeSigner verifier = new EnvelopeSigner(RECIPIENT, null,
                new ReplayWindow(CLOCK, Duration.ofSeconds(30), Duration.ofMinutes(5), 10), CLOCK, new SecureRandom(),
                1 << 16);
        try {
            EnvelopeSigner.Decoded d = EnvelopeSigner.decode(input, 1 << 16);
            if (d.payload().length > input.length) {
                throw new AssertionError("payload longer than the input");
            }
            verifier.verify(input, Optional.of(SENDER.peerId()));
        } catch (CryptoException e) {
            refused(e);
        }
    }

    @FuzzTest(maxDuration = DURATION)
    void sealedOpen(byte[] input) {
        byte[] plain;
        try {
            plain = SEALER.open(CONTEXT, input);
        } catch (CryptoException e) {
            refused(e);
            return;
        }
        if (plain.length >= input.length) {
            throw new AssertionError("opened more bytes than the sealed message holds");
        }
    }

    @FuzzTest(maxDuration = DURATION)
    void shareCombine(byte[] input) {
        ShamirSharing sharing = new ShamirSharing(new SecureRandom());
        try {
            ShamirSharing.Share s = ShamirSharing.decode(input);
            if (!Arrays.equals(s.encoded(), input)) {
                throw new AssertionError("share not canonical");
            }
            sharing.combine(List.of(input, input));
            throw new AssertionError("one distinct share combined");
        } catch (CryptoException e) {
            refused(e);
        }
    }

    @FuzzTest(maxDuration = DURATION)
    void tokenVerify(byte[] input) {
        CapabilityTokens verifier = new CapabilityTokens(RECIPIENT, CLOCK, new SecureRandom(), Duration.ofSeconds(60), 10);
        try {
            List<CapabilityTokens.Link> links = CapabilityTokens.decodeToken(input);
            byte[][] encoded = links.stream().map(CapabilityTokens.Link::encoded).toArray(byte[][]::new);
            if (!Arrays.equals(CapabilityTokens.encodeTokenRaw(Arrays.asList(encoded)), input)) {
                throw new AssertionError("token not canonical");
            }
            byte[] challenge = verifier.challenge();
            PeerId presenter = links.get(links.size() - 1).audience();
            verifier.verify(input, SENDER.peerId(), presenter, challenge, new byte[64], "fuzz", "read");
            throw new AssertionError("accepted without a valid presenter signature");
        } catch (CryptoException e) {
            refused(e);
        }
    }
}
