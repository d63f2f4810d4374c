package io.hivemesh.crypto.internal;

import io.hivemesh.api.crypto.CryptoException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reading and writing the bundle's private key files: content followed by its SHA-256 (so a torn
 * or bit-flipped file is recognised), written with {@link AtomicFiles#writePrivate} (temp, fsync,
 * atomic rename, mode 0600). Size-bounded on read.
 */
final class KeyFiles {
    static final int MAX_FILE = 1 << 16;

    private KeyFiles() {
    }

    /** The checked content of {@code path}, or empty if it does not exist. */
    static Optional<byte[]> read(Path path, String what) {
        byte[] all;
        try {
            if (Files.isDirectory(path)) {
                throw new KeyFileException("The " + what + " file " + path + " is a directory");
            }
            try (InputStream in = Files.newInputStream(path)) {
                all = in.readNBytes(MAX_FILE + 1);
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new KeyFileException("Cannot read the " + what + " file " + path + ": " + e
                    + ". Fix its permissions or restore it; it is not replaced automatically.", e);
        }
        if (all.length > MAX_FILE || all.length < 32) {
            throw corrupt(path, what, "size " + all.length + " bytes");
        }
        byte[] content = Arrays.copyOf(all, all.length - 32);
        byte[] sum = Arrays.copyOfRange(all, all.length - 32, all.length);
        Arrays.fill(all, (byte) 0);
        if (!MessageDigest.isEqual(sum, Hashes.sha256(content))) {
            Arrays.fill(content, (byte) 0);
            throw corrupt(path, what, "checksum mismatch");
        }
        return Optional.of(content);
    }

    static void write(Path path, String what, byte[] content) {
        byte[] all = EnvelopeSigner.concat(content, Hashes.sha256(content));
        try {
            AtomicFiles.writePrivate(path, all);
        } catch (IOException e) {
            throw new KeyFileException("Cannot write the " + what + " file " + path + ": " + e, e);
        } finally {
            Arrays.fill(all, (byte) 0);
        }
    }

    static KeyFileException corrupt(Path path, String what, String why) {
        return new KeyFileException("The " + what + " file " + path + " is corrupt (" + why + "). It is not replaced"
                + " automatically: restore it from a backup, or delete it to generate a new key.");
    }

    /** Wraps a decoding failure of checked content (a file from a newer version, for instance). */
    static KeyFileException corrupt(Path path, String what, CryptoException e) {
        return corrupt(path, what, e.getMessage());
    }
}
