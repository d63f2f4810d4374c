package io.hivemesh.rest.internal.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The bundle's files on disk (secrets and API objects alike): written owner-only (0600), synced, and
 * atomically (a temporary file in the same directory, then an atomic rename), so a reader sees the old
 * content or the new, never a part, also after a crash.
 */
public final class SecureFiles {
    private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");

    private SecureFiles() {
    }

    /** Creates {@code dir} (and parents) if missing; a directory this creates is owner-only (0700). */
    public static void directory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                setPermissions(dir, OWNER_RWX);
            }
        } catch (FileAlreadyExistsException e) {
            throw new UncheckedIOException("not a directory: " + dir, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code bytes} to {@code file} with mode 0600, atomically. */
    public static void write(Path file, byte[] bytes) {
        Path dir = file.toAbsolutePath().getParent();
        directory(dir);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
            setPermissions(tmp, OWNER_RW);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new UncheckedIOException("the file system of " + dir + " cannot rename atomically", e);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; the leftover temporary file is harmless
                }
            }
        }
    }

    private static void setPermissions(Path p, Set<PosixFilePermission> perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default permissions apply
        }
    }
}
