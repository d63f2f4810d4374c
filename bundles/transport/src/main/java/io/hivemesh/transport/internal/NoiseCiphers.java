package io.hivemesh.transport.internal;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ChaCha20-Poly1305 implementations for Noise and the once-per-JVM choice between them:
 * Conscrypt (BoringSSL through JNI, embedded in this bundle with its native libraries) if its native
 * library loads and it passes the RFC 8439 section 2.8.2 known-answer test, else the JDK's own
 * (pure Java on JDK 17, several times slower). One log line says which runs and why. The system
 * property {@value #PROPERTY}{@code =jdk} forces the JDK's (for comparison or if the native library
 * misbehaves).
 */
final class NoiseCiphers {
    static final String PROPERTY = "hivemesh.noise.cipher";
    private static final Logger LOG = LoggerFactory.getLogger(NoiseCiphers.class);

    // RFC 8439 section 2.8.2: the AEAD_CHACHA20_POLY1305 test vector.
    static final byte[] RFC_KEY = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    static final byte[] RFC_NONCE = hex("070000004041424344454647");
    static final byte[] RFC_AAD = hex("50515253c0c1c2c3c4c5c6c7");
    static final byte[] RFC_PLAINTEXT = ("Ladies and Gentlemen of the class of '99: If I could offer you only one"
            + " tip for the future, sunscreen would be it.").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final byte[] RFC_SEALED = hex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
            + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58"
            + "fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
            + "1ae10b594f09e26a7e902ecbd0600691");

    /** The JDK's ChaCha20-Poly1305 (SunJCE): always there on Java 11+. */
    static final NoiseCipher.Factory JDK = new Jce("jdk", "ChaCha20-Poly1305", null,
            "JDK " + System.getProperty("java.version") + " SunJCE (Java code)", false);
    /**
     * Conscrypt passes byte arrays to BoringSSL with JNI {@code Get/ReleaseByteArrayElements}, which copy
     * the whole array both ways: a 64-byte message in a 4 MiB pooled Netty chunk costs ~0.2 ms instead of
     * ~1 µs. Arrays longer than the message by more than this are swapped for exact-size copies.
     */
    static final int SLACK = 4096;

    /** The cipher every Noise session of this JVM uses, and why. */
    record Choice(NoiseCipher.Factory factory, String reason) {
        /** E.g. {@code ChaCha20-Poly1305: Conscrypt 2.5.2, BoringSSL (native)}. */
        String summary() {
            return "ChaCha20-Poly1305: " + factory.description();
        }
    }

    private NoiseCiphers() {
    }

    private static final class Holder {
        static final Choice CHOICE = choose(System.getProperty(PROPERTY, "auto"));

        static {
            LOG.info("Noise cipher {} ({})", CHOICE.summary(), CHOICE.reason());
        }
    }

    /** The choice of this JVM, made (and logged) on first use. */
    static Choice chosen() {
        return Holder.CHOICE;
    }

    static Choice choose(String setting) {
        if ("jdk".equalsIgnoreCase(setting.trim())) {
            return new Choice(JDK, "system property " + PROPERTY + "=jdk");
        }
        NoiseCipher.Factory c;
        try {
            c = conscrypt();
        } catch (Throwable e) { // NoClassDefFoundError, UnsatisfiedLinkError, ExceptionInInitializerError
            return new Choice(JDK, "Conscrypt unavailable: " + reason(e));
        }
        String failed = selfTest(c);
        if (failed != null) {
            return new Choice(JDK, "Conscrypt failed the RFC 8439 self-test: " + failed);
        }
        return new Choice(c, "native library loaded, RFC 8439 section 2.8.2 self-test passed");
    }

    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /**
     * Conscrypt's ChaCha20-Poly1305 ({@code ChaCha20/Poly1305/NoPadding} of its OpenSSLProvider).
     *
     * @throws Throwable (unchecked) if the classes or the native library are missing
     */
    static NoiseCipher.Factory conscrypt() {
        org.conscrypt.Conscrypt.checkAvailability();
        Provider p = org.conscrypt.Conscrypt.newProvider();
        org.conscrypt.Conscrypt.Version v = org.conscrypt.Conscrypt.version();
        String version = v == null ? "?" : v.major() + "." + v.minor() + "." + v.patch();
        return new Jce("conscrypt", "ChaCha20/Poly1305/NoPadding", p, "Conscrypt " + version + ", BoringSSL (native)",
                true);
    }

    /** Null if {@code f} seals and opens the RFC 8439 vector right and rejects a forged tag; else what went wrong. */
    static String selfTest(NoiseCipher.Factory f) {
        try {
            // a fresh cipher per operation: the JDK refuses to re-initialise with the same key and nonce
            byte[] sealed = new byte[RFC_PLAINTEXT.length + NoiseCipher.TAG_LENGTH];
            int n = f.create(RFC_KEY).seal(RFC_NONCE, RFC_AAD, RFC_PLAINTEXT, 0, RFC_PLAINTEXT.length, sealed, 0);
            if (n != sealed.length || !Arrays.equals(sealed, RFC_SEALED)) {
                return "wrong ciphertext or tag";
            }
            byte[] opened = new byte[RFC_PLAINTEXT.length];
            f.create(RFC_KEY).open(RFC_NONCE, RFC_AAD, sealed, 0, sealed.length, opened, 0);
            if (!Arrays.equals(opened, RFC_PLAINTEXT)) {
                return "wrong plaintext";
            }
            sealed[sealed.length - 1] ^= 1;
            try {
                f.create(RFC_KEY).open(RFC_NONCE, RFC_AAD, sealed, 0, sealed.length, opened, 0);
                return "a forged tag was accepted";
            } catch (AEADBadTagException expected) {
                return null;
            }
        } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
            return reason(e);
        }
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    /** A JCE ChaCha20-Poly1305 from {@code provider} (null: the JDK's provider lookup). */
    private record Jce(String id, String transformation, Provider provider, String description, boolean tight)
            implements NoiseCipher.Factory {
        @Override
        public NoiseCipher create(byte[] key) {
            if (key.length < 32) {
                throw new IllegalArgumentException("ChaCha20-Poly1305 needs a 32-byte key, not " + key.length);
            }
            try {
                Cipher c = provider == null ? Cipher.getInstance(transformation)
                        : Cipher.getInstance(transformation, provider);
                SecretKeySpec k = new SecretKeySpec(Arrays.copyOf(key, 32), "ChaCha20");
                return tight ? new TightArrays(new JceCipher(c, k)) : new JceCipher(c, k);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(description + " provides no " + transformation, e);
            }
        }
    }

    private static final class JceCipher implements NoiseCipher {
        private final Cipher cipher;
        private final SecretKeySpec key;

        JceCipher(Cipher cipher, SecretKeySpec key) {
            this.cipher = cipher;
            this.key = key;
        }

        @Override
        public int seal(byte[] nonce, byte[] ad, byte[] in, int off, int len, byte[] out, int outOff)
                throws GeneralSecurityException {
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
            if (ad != null) {
                cipher.updateAAD(ad);
            }
            return cipher.doFinal(in, off, len, out, outOff);
        }

        @Override
        public int open(byte[] nonce, byte[] ad, byte[] in, int off, int len, byte[] out, int outOff)
                throws GeneralSecurityException {
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
            if (ad != null) {
                cipher.updateAAD(ad);
            }
            return cipher.doFinal(in, off, len, out, outOff);
        }
    }

    /** Hands {@code inner} arrays no longer than the data (see {@link #SLACK}); copies in and out when needed. */
    private record TightArrays(NoiseCipher inner) implements NoiseCipher {
        @Override
        public int seal(byte[] nonce, byte[] ad, byte[] in, int off, int len, byte[] out, int outOff)
                throws GeneralSecurityException {
            return run(true, nonce, ad, in, off, len, out, outOff, len + TAG_LENGTH);
        }

        @Override
        public int open(byte[] nonce, byte[] ad, byte[] in, int off, int len, byte[] out, int outOff)
                throws GeneralSecurityException {
            return run(false, nonce, ad, in, off, len, out, outOff, Math.max(0, len - TAG_LENGTH));
        }

        private int run(boolean seal, byte[] nonce, byte[] ad, byte[] in, int off, int len, byte[] out, int outOff,
                int outLen) throws GeneralSecurityException {
            byte[] i = in;
            int io = off;
            if (in.length - len > SLACK) {
                i = Arrays.copyOfRange(in, off, off + len);
                io = 0;
            }
            boolean copyOut = out.length - outLen > SLACK;
            byte[] o = copyOut ? new byte[outLen] : out;
            int oo = copyOut ? 0 : outOff;
            int n = seal ? inner.seal(nonce, ad, i, io, len, o, oo) : inner.open(nonce, ad, i, io, len, o, oo);
            if (copyOut) {
                System.arraycopy(o, 0, out, outOff, n);
            }
            return n;
        }
    }
}
