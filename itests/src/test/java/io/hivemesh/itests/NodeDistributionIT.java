package io.hivemesh.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.ValueStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The real distribution: bundles, services, mesh:id, and a PeerId that survives updates. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NodeDistributionIT extends KarafTestSupport {
    private static final String CRYPTO_BSN = "io.hivemesh.crypto";
    private static final String IDENTITY_PID = "io.hivemesh.identity";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    private NodeIdentity identity;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void everyHivemeshBundleIsActive() {
        List<Bundle> ours = Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getSymbolicName().startsWith("io.hivemesh."))
                .collect(Collectors.toList());
        List<String> names = ours.stream().map(Bundle::getSymbolicName).sorted().collect(Collectors.toList());
        assertEquals(List.of("io.hivemesh.api", "io.hivemesh.crypto", "io.hivemesh.dht", "io.hivemesh.discovery", "io.hivemesh.protocol",
                "io.hivemesh.pubsub", "io.hivemesh.rest", "io.hivemesh.runtime", "io.hivemesh.runtime-podman", "io.hivemesh.shell",
                "io.hivemesh.transport", "io.hivemesh.workload"), names);
        for (Bundle b : ours) {
            assertEquals(b.getSymbolicName() + " state", Bundle.ACTIVE, b.getState());
        }
    }

    @Test
    public void dhtStoresARecordOnDiskAndTheDhtCommandsWork() throws Exception {
        String put = executeCommand("dht:put /mesh/it-record hello-from-pax-exam");
        assertTrue(put, put.contains("stored /mesh/it-record"));
        String get = executeCommand("dht:get /mesh/it-record");
        assertTrue(get, get.contains("hello-from-pax-exam"));
        String table = executeCommand("dht:table");
        assertTrue(table, table.contains("Mode      server") && table.contains("/ipfs/kad/1.0.0"));
        Path records = Path.of(System.getProperty("karaf.data"), "hivemesh", "dht", "records");
        try (var files = Files.list(records)) {
            assertTrue("a record file in " + records, files.anyMatch(f -> f.toString().endsWith(".rec")));
        }
        Path published = records.resolveSibling("published");
        try (var files = Files.list(published)) {
            assertTrue("kept for republishing in " + published, files.anyMatch(f -> f.toString().endsWith(".rec")));
        }

        // The stores outlive an in-place update of the DHT bundle.
        long before = serviceId(ValueStore.class);
        Bundle dht = bundle("io.hivemesh.dht");
        dht.update();
        assertEquals(Bundle.ACTIVE, dht.getState());
        assertTrue("a new ValueStore after the update", await(() -> serviceId(ValueStore.class) > before, WAIT));
        String after = executeCommand("dht:get /mesh/it-record");
        assertTrue(after, after.contains("hello-from-pax-exam"));
    }

    private long serviceId(Class<?> type) {
        ServiceReference<?> ref = bundleContext.getServiceReference(type);
        return ref == null ? -1 : (Long) ref.getProperty("service.id");
    }

    @Test
    public void identityServiceIsRegisteredWithAStableEd25519PeerId() {
        assertNotNull(identity);
        PeerId peer = identity.peerId();
        assertTrue(peer.toString(), peer.toString().startsWith("12D3KooW"));
        assertEquals(peer, PeerId.fromPublicKey(identity.publicKey()));
        assertTrue(identity.agentVersion(), identity.agentVersion().startsWith("hivemesh/"));
        Path keyFile = Path.of(System.getProperty("karaf.data"), "hivemesh", "identity", "node.key");
        assertTrue("key file at " + keyFile, Files.isRegularFile(keyFile));
    }

    @Test
    public void meshIdPrintsPeerIdAndAgent() throws Exception {
        String out = executeCommand("mesh:id");
        assertTrue(out, out.contains("PeerId   " + identity.peerId()));
        assertTrue(out, out.contains("Agent    " + identity.agentVersion()));
        assertTrue(out, out.contains("Listen"));
        // Conscrypt, embedded in the transport bundle, loads inside Karaf on linux-x86_64 (these machines)
        assertTrue(out, out.contains("Cipher   ChaCha20-Poly1305: Conscrypt 2.5.2, BoringSSL (native)"));
    }

    @Test
    public void peerIdIsUnchangedAfterTheIdentityBundleIsUpdatedInPlace() throws Exception {
        PeerId before = currentIdentity().peerId();
        long serviceIdBefore = identityServiceId();
        Bundle crypto = bundle(CRYPTO_BSN);

        crypto.update();

        assertEquals(Bundle.ACTIVE, crypto.getState());
        assertTrue("a new identity service is registered after the update",
                await(() -> identityServiceId() > serviceIdBefore, WAIT));
        assertEquals(before, currentIdentity().peerId());
        String out = executeCommand("mesh:id");
        assertTrue(out, out.contains("PeerId   " + before));
    }

    @Test
    public void corruptKeyFileStopsTheIdentityWithAClearErrorAndIsNotReplaced() throws Exception {
        PeerId original = currentIdentity().peerId();
        Path corrupt = Files.createTempFile("hivemesh-corrupt", ".key");
        byte[] garbage = "this is not a libp2p private key".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Files.write(corrupt, garbage);
        org.osgi.service.cm.Configuration config = configAdmin.getConfiguration(IDENTITY_PID, null);
        Dictionary<String, Object> props = config.getProperties() == null ? new Hashtable<>() : config.getProperties();
        try {
            props.put("path", corrupt.toString());
            config.update(props);

            assertTrue("identity service goes away", await(() -> identityServiceId() < 0, WAIT));
            assertTrue("the component reports the corrupt file", await(() -> failure().contains("corrupt"), WAIT));
            assertTrue(failure(), failure().contains(corrupt.toString()));
            assertArrayEquals("the corrupt file is left as it was", garbage, Files.readAllBytes(corrupt));
            try {
                executeCommand("mesh:id");
                fail("mesh:id must fail without an identity");
            } catch (Exception e) {
                assertTrue(e.getMessage(), e.getMessage().contains("no identity"));
            }
        } finally {
            props.put("path", "");
            config.update(props);
        }
        assertTrue("identity comes back", await(() -> identityServiceId() >= 0, WAIT));
        assertEquals(original, currentIdentity().peerId());
        assertNotEquals("", original.toString());
        assertFalse(failure(), failure().contains("corrupt"));
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    private long identityServiceId() {
        return serviceId(NodeIdentity.class);
    }

    private NodeIdentity currentIdentity() {
        ServiceReference<NodeIdentity> ref = bundleContext.getServiceReference(NodeIdentity.class);
        assertNotNull("NodeIdentity service registered", ref);
        NodeIdentity service = bundleContext.getService(ref);
        bundleContext.ungetService(ref);
        return service;
    }

    /** The failure text SCR recorded for the identity component, or "" if none. */
    private String failure() {
        ComponentDescriptionDTO description = scr.getComponentDescriptionDTOs(bundle(CRYPTO_BSN)).stream()
                .filter(d -> d.configurationPid.length > 0 && IDENTITY_PID.equals(d.configurationPid[0]))
                .findFirst().orElse(null);
        if (description == null) {
            return "";
        }
        return scr.getComponentConfigurationDTOs(description).stream()
                .map(c -> c.failure == null ? "" : c.failure)
                .filter(f -> !f.isEmpty())
                .findFirst().orElse("");
    }
}
