package io.hivemesh.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.BundleContext;

/**
 * Boots the real Hivemesh distribution (the archive the assembly module built) under Pax Exam, on
 * free local ports, and runs shell commands in it.
 */
public abstract class KarafTestSupport {

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    protected static Option[] distribution() {
        String archive = System.getProperty("hivemesh.distribution.archive");
        if (archive == null || !new File(archive).isFile()) {
            throw new IllegalStateException("Distribution archive not found: " + archive
                    + " (the karaf-assembly module must be built first)");
        }
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(new File(archive).toURI().toString())
                    .karafVersion(System.getProperty("karaf.version", "4.4.10"))
                    .name("Hivemesh")
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", freePort()),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", freePort()),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", freePort()),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", freePort()),
            editConfigurationFilePut("etc/io.hivemesh.transport.cfg", "listen", "/ip4/127.0.0.1/tcp/0"),
            editConfigurationFilePut("etc/io.hivemesh.rest.cfg", "port", freePort()),
            systemProperty("pax.exam.osgi.unresolved.fail").value("true"),
        };
    }

    static String freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /**
     * Runs a shell command and returns what it printed. Commands register asynchronously after
     * their bundle starts, so an unknown command is retried for a while before the error is raised.
     */
    protected String executeCommand(String command) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            Session session = sessionFactory.create(System.in, out, out);
            try {
                Object result = session.execute(command);
                if (result != null) {
                    out.println(result);
                }
                out.flush();
                return bytes.toString(StandardCharsets.UTF_8);
            } catch (Exception e) {
                boolean notYet = e.getClass().getSimpleName().equals("CommandNotFoundException");
                if (!notYet || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            } finally {
                session.close();
            }
        }
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; returns whether it held. */
    protected static boolean await(Supplier<Boolean> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(condition.get())) {
                return true;
            }
            Thread.sleep(100);
        }
        return Boolean.TRUE.equals(condition.get());
    }
}
