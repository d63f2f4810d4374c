package io.hivemesh.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.hivemesh.api.net.Host;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The ProtocolHandler whiteboard in the real node: a small bundle (built here, with one activator)
 * serves a protocol; the Host offers it while the bundle is active and drops it when it stops.
 * (On the wire, na and Identify push after an unregistration are proven by HostLoopbackTest.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WhiteboardIT extends KarafTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    private Host host;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    private byte[] echoBundle() throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "io.hivemesh.itests.echo");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Activator", EchoHandlerActivator.class.getName());
        a.putValue("Import-Package", "io.hivemesh.api.net,org.osgi.framework");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            String path = EchoHandlerActivator.class.getName().replace('.', '/') + ".class";
            jar.putNextEntry(new JarEntry(path));
            try (InputStream in = EchoHandlerActivator.class.getClassLoader().getResourceAsStream(path)) {
                in.transferTo(jar);
            }
            jar.closeEntry();
        }
        return out.toByteArray();
    }

    @Test
    public void protocolFollowsTheBundleThatServesIt() throws Exception {
        assertFalse(host.protocols().contains(EchoHandlerActivator.PROTOCOL));
        Bundle b = bundleContext.installBundle("hivemesh-it-echo", new ByteArrayInputStream(echoBundle()));
        try {
            b.start();
            assertTrue("served after start", await(() -> host.protocols().contains(EchoHandlerActivator.PROTOCOL), WAIT));
            assertTrue(host.protocols().contains("/ipfs/ping/1.0.0"));
            b.stop();
            assertTrue("gone after stop", await(() -> !host.protocols().contains(EchoHandlerActivator.PROTOCOL), WAIT));
            b.start();
            assertTrue("back after restart", await(() -> host.protocols().contains(EchoHandlerActivator.PROTOCOL), WAIT));
        } finally {
            b.uninstall();
        }
        assertTrue(await(() -> !host.protocols().contains(EchoHandlerActivator.PROTOCOL), WAIT));
    }

    @Test
    public void meshIdShowsTheListenAddress() throws Exception {
        String out = executeCommand("mesh:id");
        assertTrue(out, out.contains("/ip4/127.0.0.1/tcp/") && out.contains("/p2p/" + host.peerId()));
    }
}
