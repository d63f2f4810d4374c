package io.hivemesh.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.hivemesh.api.net.Host;
import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.pubsub.PublishException;
import io.hivemesh.api.pubsub.Subscription;
import io.hivemesh.api.pubsub.TopicValidator;
import io.hivemesh.api.pubsub.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Gossipsub in the real distribution: the component is active and serves the pubsub protocols, the
 * pubsub:* commands run, a configuration key with underscores applies, and a TopicValidator service
 * is bound from the whiteboard.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PubSubIT extends KarafTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    private Host host;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    private PubSub pubsub() {
        ServiceReference<PubSub> ref = bundleContext.getServiceReference(PubSub.class);
        return ref == null ? null : bundleContext.getService(ref);
    }

    private long pubsubServiceId() {
        ServiceReference<PubSub> ref = bundleContext.getServiceReference(PubSub.class);
        return ref == null ? -1 : (Long) ref.getProperty("service.id");
    }

    @Test
    public void theComponentServesThePubsubProtocols() throws Exception {
        assertTrue("PubSub registered", await(() -> pubsub() != null, WAIT));
        assertTrue(host.protocols().toString(), await(() -> host.protocols().containsAll(
                List.of("/meshsub/1.2.0", "/meshsub/1.1.0", "/meshsub/1.0.0", "/floodsub/1.0.0")), WAIT));
    }

    @Test
    public void theShellCommandsWork() throws Exception {
        assertTrue(await(() -> pubsub() != null, WAIT));
        String sub = executeCommand("pubsub:sub it-topic");
        assertTrue(sub, sub.contains("subscribed to it-topic"));
        String topics = executeCommand("pubsub:topics");
        assertTrue(topics, topics.contains("it-topic") && topics.contains("yes"));
        try {
            executeCommand("pubsub:pub it-topic hello");
            fail("publishing with no peers must fail");
        } catch (Exception e) {
            assertTrue(e.getMessage(), e.getMessage().contains("NO_PEERS") && e.getMessage().contains("it-topic"));
        }
        String msgs = executeCommand("pubsub:msgs it-topic");
        assertTrue(msgs, msgs.contains("0 shown of 0 received on it-topic"));
        String mesh = executeCommand("pubsub:mesh it-topic");
        assertNotNull(mesh);
        executeCommand("pubsub:unsub it-topic");
        assertTrue(await(() -> !pubsub().topics().contains("it-topic"), WAIT));
        try {
            executeCommand("pubsub:msgs it-topic");
            fail("no messages after unsub");
        } catch (Exception e) {
            assertEquals("not subscribed to it-topic: pubsub:sub it-topic first", e.getMessage());
        }
    }

    @Test
    public void anUnderscoredKeyAppliesAndAWhiteboardValidatorRejects() throws Exception {
        assertTrue(await(() -> pubsub() != null, WAIT));
        long before = pubsubServiceId();
        org.osgi.service.cm.Configuration config = configAdmin.getConfiguration("io.hivemesh.pubsub", null);
        Dictionary<String, Object> props = config.getProperties() == null ? new Hashtable<>() : config.getProperties();
        props.put("allow_publish_to_zero_peers", "true");
        config.update(props);
        assertTrue("the component restarted with the new configuration",
                await(() -> pubsubServiceId() > before, WAIT));

        Dictionary<String, Object> vprops = new Hashtable<>();
        vprops.put(TopicValidator.TOPIC, "it-validated");
        TopicValidator rejectBad = (from, m) -> CompletableFuture.completedFuture(
                new String(m.data(), StandardCharsets.UTF_8).startsWith("bad") ? ValidationResult.REJECT : ValidationResult.ACCEPT);
        ServiceRegistration<TopicValidator> reg = bundleContext.registerService(TopicValidator.class, rejectBad, vprops);
        try {
            PubSub ps = pubsub();
            try (Subscription s = ps.subscribe("it-validated")) {
                // with no peers, a publish succeeds (the key applied) unless the validator rejects it
                assertNotEquals(null, ps.publish("it-validated", "good".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS));
                try {
                    ps.publish("it-validated", "bad".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
                    fail("the whiteboard validator must reject");
                } catch (ExecutionException e) {
                    assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof PublishException p
                            && p.reason() == PublishException.Reason.REJECTED);
                }
            }
        } finally {
            reg.unregister();
            props.remove("allow_publish_to_zero_peers");
            config.update(props);
        }
    }
}
