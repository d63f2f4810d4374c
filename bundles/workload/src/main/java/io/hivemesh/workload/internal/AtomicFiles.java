package io.hivemesh.workload.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Crash-safe file replacement: the content goes to a temporary file in the target's directory
 * (name ending in {@value #TEMP_SUFFIX}), is forced to disk, and is renamed over the target
 * atomically; the directory is forced afterwards so the rename survives a power loss. A crash
 * leaves the old or the new file, plus at worst a temporary file that {@link #isTemporary} names
 * for cleanup. Stateless; concurrent writes of different targets are safe.
 */
final class AtomicFiles {
    static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Whether {@code file} is a temporary file a write of this class (possibly interrupted) made. */
    static boolean isTemporary(Path file) {
        return file.getFileName().toString().endsWith(TEMP_SUFFIX);
    }

    /** Replaces {@code target} with {@code content} atomically (the directory must exist). */
    static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        forceDirectory(dir);
    }

    /** Deletes {@code target} if it is there, durably; whether it was. */
    static boolean delete(Path target) throws IOException {
        if (Files.deleteIfExists(target)) {
            forceDirectory(target.toAbsolutePath().getParent());
            return true;
        }
        return false;
    }

    /** Renames {@code file} to {@code aside} (replacing an older one), durably. */
    static void moveAside(Path file, Path aside) throws IOException {
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.toAbsolutePath().getParent());
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
