package io.hivemesh.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.hivemesh.api.crypto.Capability;
import io.hivemesh.api.crypto.CapabilityService;
import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.crypto.KeyInfo;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.NodeKeys;
import io.hivemesh.api.crypto.ReplayGuard;
import io.hivemesh.api.crypto.SealContext;
import io.hivemesh.api.crypto.Sealer;
import io.hivemesh.api.crypto.SecretSharing;
import io.hivemesh.api.crypto.Signer;
import io.hivemesh.api.crypto.VerifiedEnvelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/** The crypto services in the real distribution: registered, working, persisted, and crypto:keys. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CryptoServicesIT extends KarafTestSupport {
    @Inject
    private NodeIdentity identity;
    @Inject
    private Signer signer;
    @Inject
    private Sealer sealer;
    @Inject
    private SecretSharing sharing;
    @Inject
    private CapabilityService capabilities;
    @Inject
    private ReplayGuard replay;
    @Inject
    private NodeKeys keys;
    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    private static Path cryptoDir() {
        return Path.of(System.getProperty("karaf.data"), "hivemesh", "crypto");
    }

    @Test
    public void keysAreGeneratedAndStoredPrivately() throws Exception {
        for (String name : List.of("kem.keys", "mldsa.key", "replay.log")) {
            Path file = cryptoDir().resolve(name);
            assertTrue(file + " exists", Files.isRegularFile(file));
            assertEquals(name, "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        List<KeyInfo> all = keys.publicKeys();
        assertEquals("Ed25519", all.get(0).algorithm());
        assertArrayEquals(identity.publicKey().data(), all.get(0).publicKey());
        assertTrue(all.stream().anyMatch(k -> k.algorithm().equals("ML-DSA-65") && k.publicKey().length == 1952));
        assertArrayEquals(sealer.kemPublicKey(), all.get(1).publicKey());
    }

    @Test
    public void signedEnvelopeVerifiesOnceThroughTheServices() {
        byte[] env = signer.sign("hivemesh/test", "hello".getBytes(StandardCharsets.UTF_8));
        VerifiedEnvelope v = signer.verify(env, Optional.of(identity.peerId()));
        assertEquals("hello", new String(v.payload(), StandardCharsets.UTF_8));
        try {
            signer.verify(env, Optional.empty());
            fail("replay accepted");
        } catch (CryptoException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("replayed nonce"));
        }
        byte[] nonce = new byte[16];
        replay.check(identity.peerId(), nonce, Instant.now());
        try {
            replay.check(identity.peerId(), nonce, Instant.now());
            fail("replay accepted");
        } catch (CryptoException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("replayed nonce"));
        }
    }

    @Test
    public void sealShareAndCapabilityRoundTrip() {
        SealContext ctx = new SealContext(identity.peerId(), identity.peerId(), "hivemesh/test", "it");
        byte[] secret = new byte[32];
        secret[3] = 7;
        List<byte[]> shares = sharing.split(secret, 2, 3);
        byte[] sealed = sealer.seal(sealer.kemPublicKey(), ctx, shares.get(0));
        assertArrayEquals(secret, sharing.combine(List.of(sealer.open(ctx, sealed), shares.get(2))));

        Instant now = Instant.now();
        byte[] token = capabilities.issue(new Capability(identity.peerId(), identity.peerId(), "manifest/1",
                Set.of("read-share"), now.minusSeconds(1), now.plusSeconds(300), Map.of()));
        byte[] challenge = capabilities.challenge();
        Capability c = capabilities.verify(token, identity.peerId(), identity.peerId(), challenge,
                capabilities.present(token, challenge), "manifest/1", "read-share");
        assertEquals(Set.of("read-share"), c.actions());
    }

    @Test
    public void cryptoKeysCommandListsAndRotates() throws Exception {
        SealContext ctx = new SealContext(identity.peerId(), identity.peerId(), "hivemesh/test", "rotate");
        byte[] sealedToOld = sealer.seal(sealer.kemPublicKey(), ctx, new byte[] {1, 2, 3});
        String before = executeCommand("crypto:keys");
        KeyInfo kem = keys.publicKeys().get(1);
        assertTrue(before, before.contains(kem.id()) && before.contains("X25519+ML-KEM-768"));
        assertTrue(before, before.contains("ML-DSA-65"));

        String after = executeCommand("crypto:keys --rotate-kem");
        assertTrue(after, after.contains(kem.id() + " retired"));
        assertNotNull(keys.publicKeys().get(1));
        assertTrue(after, after.contains(keys.publicKeys().get(1).id() + " current"));
        assertArrayEquals(new byte[] {1, 2, 3}, sealer.open(ctx, sealedToOld));
    }

    @Test
    public void corruptKemKeyFileStopsTheCryptoServicesAndIsNotReplaced() throws Exception {
        byte[] kemBefore = sealer.kemPublicKey();
        Path dir = Files.createTempDirectory("hivemesh-crypto-corrupt");
        Path kem = dir.resolve("kem.keys");
        byte[] garbage = "not a key ring".getBytes(StandardCharsets.US_ASCII);
        Files.write(kem, garbage);
        org.osgi.service.cm.Configuration config = configAdmin.getConfiguration("io.hivemesh.crypto", null);
        Dictionary<String, Object> props = config.getProperties() == null ? new Hashtable<>() : config.getProperties();
        try {
            props.put("directory", dir.toString());
            config.update(props);
            assertTrue("the crypto services go away",
                    await(() -> bundleContext.getServiceReference(Sealer.class) == null
                            && bundleContext.getServiceReference(Signer.class) == null, Duration.ofSeconds(30)));
            assertArrayEquals("the corrupt file is left as it was", garbage, Files.readAllBytes(kem));
            try {
                executeCommand("crypto:keys");
                fail("crypto:keys must fail without the crypto services");
            } catch (Exception e) {
                assertTrue(e.getMessage(), e.getMessage().contains("no crypto keys"));
            }
        } finally {
            props.put("directory", "");
            config.update(props);
        }
        assertTrue("the crypto services come back",
                await(() -> bundleContext.getServiceReference(Sealer.class) != null, Duration.ofSeconds(30)));
        Sealer back = bundleContext.getService(bundleContext.getServiceReference(Sealer.class));
        assertArrayEquals("same KEM key after the restart", kemBefore, back.kemPublicKey());
    }
}
