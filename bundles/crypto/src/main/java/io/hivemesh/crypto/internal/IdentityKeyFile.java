package io.hivemesh.crypto.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.peer.PrivateKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's identity key on disk: one libp2p {@code PrivateKey} protobuf (Ed25519), mode 0600,
 * written atomically. Generated on first use; afterwards always loaded, so the PeerId is stable.
 * A file that exists but cannot be used is reported with {@link IdentityFileException} and left
 * exactly as it is.
 */
public final class IdentityKeyFile {
    /** A libp2p Ed25519 PrivateKey protobuf is 68 bytes; anything far larger is not one. */
    static final int MAX_FILE_SIZE = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(IdentityKeyFile.class);

    private final Path path;

    public IdentityKeyFile(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    public Path path() {
        return path;
    }

    /** Loads the key, or generates and stores a new one if (and only if) no file exists. */
    Ed25519Identity loadOrCreate(SecureRandom random, String agentVersion) {
        byte[] bytes;
        try {
            bytes = read();
        } catch (NoSuchFileException e) {
            return create(random, agentVersion);
        } catch (IOException e) {
            throw new IdentityFileException("Cannot read the identity key file " + path + ": " + describe(e)
                    + ". Fix its permissions or restore it; it is not replaced automatically.", e);
        }
        try {
            Ed25519Identity identity = Ed25519Identity.fromPrivateKey(PrivateKey.fromProtobuf(bytes), agentVersion);
            tightenPermissions();
            return identity;
        } catch (HivemeshException | IllegalArgumentException e) {
            throw new IdentityFileException("The identity key file " + path + " is corrupt (" + e.getMessage()
                    + "). It is not replaced automatically: restore it from a backup, or delete it to give"
                    + " this node a new PeerId.", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private byte[] read() throws IOException {
        if (Files.isDirectory(path)) {
            throw new IOException("it is a directory");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_FILE_SIZE + 1);
            if (bytes.length > MAX_FILE_SIZE) {
                Arrays.fill(bytes, (byte) 0);
                throw new IdentityFileException("The identity key file " + path + " is corrupt (larger than "
                        + MAX_FILE_SIZE + " bytes). It is not replaced automatically: restore it from a backup,"
                        + " or delete it to give this node a new PeerId.");
            }
            return bytes;
        }
    }

    private Ed25519Identity create(SecureRandom random, String agentVersion) {
        Ed25519Identity identity = Ed25519Identity.generate(random, agentVersion);
        byte[] encoded = identity.toPrivateKey().toProtobuf();
        try {
            AtomicFiles.writePrivate(path, encoded);
        } catch (IOException e) {
            throw new IdentityFileException("Cannot write a new identity key file " + path + ": " + describe(e), e);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
        LOG.info("Generated a new node identity {} in {}", identity.peerId(), path);
        return identity;
    }

    private void tightenPermissions() {
        if (!AtomicFiles.posix(path)) {
            return;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            if (!ownerOnly.containsAll(perms)) {
                LOG.warn("Identity key file {} was readable by others ({}); setting it to rw-------",
                        path, PosixFilePermissions.toString(perms));
                Files.setPosixFilePermissions(path, ownerOnly);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("Cannot check the permissions of identity key file {}: {}", path, describe(e));
        }
    }

    private static String describe(Exception e) {
        String what = e.getClass().getSimpleName();
        return e.getMessage() == null ? what : what + " " + e.getMessage();
    }
}
