package io.hivemesh.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PrivateKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityKeyFileTest {
    private static final String AGENT = "hivemesh/test";
    /** The Ed25519 PrivateKey vector of the libp2p peer-ids spec (seed ‖ public key). */
    private static final String SPEC_ED25519_PRIVATE =
            "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
            + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

    @TempDir
    Path dir;

    @Test
    void firstStartCreatesAPrivateKeyFileThatLaterStartsReload() throws IOException {
        Path keyFile = dir.resolve("hivemesh/identity/node.key");
        Ed25519Identity created = new IdentityKeyFile(keyFile).loadOrCreate(new SecureRandom(), AGENT);

        assertTrue(Files.isRegularFile(keyFile));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent())));
        PrivateKey stored = PrivateKey.fromProtobuf(Files.readAllBytes(keyFile));
        assertEquals(KeyType.ED25519, stored.type());
        assertEquals(64, stored.data().length);
        assertFalse(Files.exists(keyFile.resolveSibling("node.key" + AtomicFiles.TEMP_SUFFIX)));

        for (int i = 0; i < 3; i++) {
            Ed25519Identity reloaded = new IdentityKeyFile(keyFile).loadOrCreate(new SecureRandom(), AGENT);
            assertEquals(created.peerId(), reloaded.peerId());
            assertEquals(created.publicKey(), reloaded.publicKey());
        }
        assertTrue(created.peerId().toString().startsWith("12D3KooW"), created.peerId().toString());
    }

    @Test
    void loadsTheSpecPrivateKeyVector() throws IOException {
        Path keyFile = dir.resolve("node.key");
        Files.write(keyFile, HexFormat.of().parseHex(SPEC_ED25519_PRIVATE));
        Ed25519Identity identity = new IdentityKeyFile(keyFile).loadOrCreate(new SecureRandom(), AGENT);
        assertEquals("1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e",
                HexFormat.of().formatHex(identity.publicKey().data()));
        assertArrayEquals(HexFormat.of().parseHex(SPEC_ED25519_PRIVATE), identity.toPrivateKey().toProtobuf());
    }

    @Test
    void tightensAKeyFileThatOthersCouldRead() throws IOException {
        Path keyFile = dir.resolve("node.key");
        Files.write(keyFile, HexFormat.of().parseHex(SPEC_ED25519_PRIVATE));
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        new IdentityKeyFile(keyFile).loadOrCreate(new SecureRandom(), AGENT);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    }

    @Test
    void garbageIsReportedAndNeverReplaced() throws IOException {
        assertRefusedAndUntouched(new byte[] {1, 2, 3, 4, 5}, "corrupt");
    }

    @Test
    void emptyFileIsReportedAndNeverReplaced() throws IOException {
        assertRefusedAndUntouched(new byte[0], "corrupt");
    }

    @Test
    void truncatedKeyIsReported() throws IOException {
        byte[] full = HexFormat.of().parseHex(SPEC_ED25519_PRIVATE);
        assertRefusedAndUntouched(Arrays.copyOf(full, full.length - 10), "corrupt");
    }

    @Test
    void mismatchedPublicHalfIsReported() throws IOException {
        byte[] bad = HexFormat.of().parseHex(SPEC_ED25519_PRIVATE);
        bad[bad.length - 1] ^= 1;
        String message = assertRefusedAndUntouched(bad, "does not match");
        assertTrue(message.contains("corrupt"), message);
    }

    @Test
    void otherKeyTypeIsReported() throws IOException {
        byte[] secp = new PrivateKey(KeyType.SECP256K1, new byte[32]).toProtobuf();
        assertRefusedAndUntouched(secp, "SECP256K1");
    }

    @Test
    void oversizedFileIsReported() throws IOException {
        assertRefusedAndUntouched(new byte[IdentityKeyFile.MAX_FILE_SIZE + 1], "larger than");
    }

    @Test
    void aDirectoryInPlaceOfTheFileIsReported() throws IOException {
        Path keyFile = dir.resolve("node.key");
        Files.createDirectory(keyFile);
        IdentityFileException e = assertThrows(IdentityFileException.class,
                () -> new IdentityKeyFile(keyFile).loadOrCreate(new SecureRandom(), AGENT));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
        assertTrue(Files.isDirectory(keyFile));
    }

    private String assertRefusedAndUntouched(byte[] content, String expectedInMessage) throws IOException {
        Path keyFile = dir.resolve("node.key");
        Files.write(keyFile, content);
        IdentityFileException e = assertThrows(IdentityFileException.class,
                () -> new IdentityKeyFile(keyFile).loadOrCreate(new SecureRandom(), AGENT));
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
        assertTrue(e.getMessage().contains(keyFile.toString()), "names the file: " + e.getMessage());
        assertArrayEquals(content, Files.readAllBytes(keyFile), "the file must be left as it was");
        return e.getMessage();
    }
}
