package io.hivemesh.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.crypto.KeyInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeyStoreTest {
    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
    private final Ed25519Identity identity = Ed25519Identity.generate(random, "a");

    @Test
    void keysAreCreatedOnceAndReloadedIdentically(@TempDir Path dir) throws Exception {
        Path crypto = dir.resolve("hivemesh").resolve("crypto");
        NodeKeyStore first = NodeKeyStore.open(identity, crypto, 4, true, random, clock);
        List<KeyInfo> keys = first.publicKeys();
        assertEquals(List.of("Ed25519", "X25519+ML-KEM-768", "ML-DSA-65"),
                keys.stream().map(KeyInfo::algorithm).toList());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(crypto)));
        for (String f : List.of(NodeKeyStore.KEM_FILE, NodeKeyStore.MLDSA_FILE)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(crypto.resolve(f))));
        }
        clock.advance(java.time.Duration.ofHours(1));
        NodeKeyStore again = NodeKeyStore.open(identity, crypto, 4, true, random, clock);
        List<KeyInfo> reloaded = again.publicKeys();
        for (int i = 0; i < keys.size(); i++) {
            assertArrayEquals(keys.get(i).publicKey(), reloaded.get(i).publicKey(), keys.get(i).algorithm());
            assertEquals(keys.get(i).created(), reloaded.get(i).created());
        }
    }

    @Test
    void rotationIsListedAndPersisted(@TempDir Path dir) {
        NodeKeyStore store = NodeKeyStore.open(identity, dir, 4, false, random, clock);
        assertNull(store.mldsa());
        KeyInfo old = store.publicKeys().get(1);
        KeyInfo fresh = store.rotateKem();
        List<KeyInfo> keys = NodeKeyStore.open(identity, dir, 4, false, random, clock).publicKeys();
        assertEquals(3, keys.size());
        assertEquals(fresh.id(), keys.get(1).id());
        assertTrue(keys.get(1).current());
        assertEquals(old.id(), keys.get(2).id());
        assertFalse(keys.get(2).current());
    }

    @Test
    void corruptMlDsaKeyIsReportedAndLeftAlone(@TempDir Path dir) throws Exception {
        NodeKeyStore.open(identity, dir, 4, true, random, clock);
        Path file = dir.resolve(NodeKeyStore.MLDSA_FILE);
        byte[] truncated = java.util.Arrays.copyOf(Files.readAllBytes(file), 40);
        Files.write(file, truncated);
        KeyFileException e = assertThrows(KeyFileException.class,
                () -> NodeKeyStore.open(identity, dir, 4, true, random, clock));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("corrupt"), e.getMessage());
        assertArrayEquals(truncated, Files.readAllBytes(file));
    }
}
