package io.hivemesh.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.hivemesh.api.net.Host;
import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.workload.MachinePlane;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * {@code /metrics}, {@code /healthz} and {@code /readyz} of the real distribution, fetched over HTTP
 * from the node's own port (127.0.0.1), without credentials.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MetricsIT extends KarafTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    private Host host;

    @Inject
    private PubSub pubsub;

    @Inject
    private MachinePlane plane;

    private record Answer(int code, String contentType, String body) {
    }

    @Configuration
    public Option[] config() {
        return distribution();
    }

    private static int httpPort() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(System.getProperty("karaf.etc"), "org.ops4j.pax.web.cfg"))) {
            p.load(r);
        }
        return Integer.parseInt(p.getProperty("org.osgi.service.http.port").trim());
    }

    private static Answer get(String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + httpPort() + path).openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(10_000);
        try {
            int code = c.getResponseCode();
            InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(code, c.getContentType(), body);
        } finally {
            c.disconnect();
        }
    }

    /** The servlets register once the rest bundle's components are active: retry until one answers. */
    private static Answer awaitAnswer(String path, int code) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Answer last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = get(path);
                if (last.code() == code) {
                    return last;
                }
            } catch (IOException notYet) {
                last = new Answer(-1, null, notYet.toString());
            }
            Thread.sleep(250);
        }
        throw new AssertionError(path + " did not answer " + code + " within " + WAIT + "; last: "
                + (last == null ? "nothing" : last.code() + " " + last.body()));
    }

    private static double sample(String text, String line) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(line) + " (\\S+)$").matcher(text);
        assertTrue("no sample '" + line + "' in:\n" + text, m.find());
        return Double.parseDouble(m.group(1));
    }

    @Test
    public void healthzAnswersOk() throws Exception {
        Answer a = awaitAnswer("/healthz", 200);
        assertEquals("ok", a.body());
        assertTrue(a.contentType(), a.contentType().startsWith("text/plain"));
    }

    @Test
    public void readyzPassesOnceEveryServiceIsUp() throws Exception {
        Answer a = awaitAnswer("/readyz", 200);
        assertEquals("[+]host ok\n[+]dht ok\n[+]pubsub ok\n[+]machine-plane ok\nreadyz check passed\n", a.body());
    }

    @Test
    public void metricsShowTheJvmAndTheNodesFamiliesWithItsValues() throws Exception {
        String put = executeCommand("dht:put /mesh/metrics-it counted");
        assertTrue(put, put.contains("stored /mesh/metrics-it"));
        Answer a = awaitAnswer("/metrics", 200);
        String m = a.body();
        assertTrue(a.contentType(), a.contentType().startsWith("text/plain; version=0.0.4"));
        // the client library's JVM instrumentation
        assertTrue(m, sample(m, "jvm_threads_current") >= 1);
        assertTrue(m, sample(m, "jvm_memory_used_bytes{area=\"heap\"}") > 0);
        // every hivemesh family declared with help and type
        for (String family : new String[] {"hivemesh_connections_open gauge", "hivemesh_streams_open gauge",
            "hivemesh_transport_received_bytes_total counter", "hivemesh_transport_sent_bytes_total counter",
            "hivemesh_dht_routing_table_peers gauge", "hivemesh_dht_query_duration_seconds histogram",
            "hivemesh_pubsub_messages_received_total counter", "hivemesh_pubsub_messages_rejected_total counter",
            "hivemesh_pubsub_messages_published_total counter", "hivemesh_workload_tasks gauge",
            "hivemesh_workload_replicas gauge", "hivemesh_workload_apply_duration_seconds histogram"}) {
            assertTrue("no '# TYPE " + family + "' in:\n" + m, m.contains("# TYPE " + family + "\n"));
            assertTrue("no HELP for " + family, m.contains("# HELP " + family.split(" ")[0] + " "));
        }
        // values that agree with the services themselves (an isolated node: no peers, no tasks)
        double connections = sample(m, "hivemesh_connections_open{direction=\"inbound\"}")
                + sample(m, "hivemesh_connections_open{direction=\"outbound\"}");
        assertEquals(host.connections().size(), connections, 0);
        assertEquals(pubsub.topics().size(), sample(m, "hivemesh_pubsub_topics"), 0);
        assertEquals(plane.tasks(null).size(), sample(m, "hivemesh_workload_tasks{state=\"Available\"}")
                + sample(m, "hivemesh_workload_tasks{state=\"Progressing\"}"), 0);
        assertEquals(plane.nodes().size(), sample(m, "hivemesh_mesh_nodes"), 0);
        assertEquals(0, sample(m, "hivemesh_workload_apply_duration_seconds_count"), 0);
        assertTrue(sample(m, "hivemesh_transport_received_bytes_total") >= 0);
        // the dht:put above is a query this node started, timed by the DHT
        assertTrue(m, sample(m, "hivemesh_dht_query_duration_seconds_count{kind=\"put_value\"}") >= 1);
        assertTrue(m, sample(m, "hivemesh_dht_query_duration_seconds_bucket{kind=\"put_value\",le=\"+Inf\"}") >= 1);
    }
}
