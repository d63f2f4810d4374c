package io.hivemesh.api.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.Properties;

/** The libp2p peer-ids spec's key test vectors (test resource {@code key-vectors.properties}). */
final class KeyVectors {
    private static final Properties VECTORS = load();

    private KeyVectors() {
    }

    private static Properties load() {
        try (InputStream in = KeyVectors.class.getResourceAsStream("key-vectors.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The protobuf bytes of vector {@code name}, e.g. {@code "ed25519.public"}. */
    static byte[] bytes(String name) {
        String hex = VECTORS.getProperty(name);
        if (hex == null) {
            throw new IllegalArgumentException("no vector " + name);
        }
        return HexFormat.of().parseHex(hex.toLowerCase());
    }
}
