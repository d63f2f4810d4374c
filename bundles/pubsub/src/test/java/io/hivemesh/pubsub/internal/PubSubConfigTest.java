package io.hivemesh.pubsub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The shipped etc/io.hivemesh.pubsub.cfg against the configuration type, and the translation to settings. */
class PubSubConfigTest {
    private static final Path CFG = Path.of("..", "..", "config", "io.hivemesh.pubsub.cfg");

    /** The property name Declarative Services reads for a method (OSGi Compendium 112.8.2.1). */
    static String dsKey(String method) {
        return method.replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
    }

    private static Properties cfg() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(CFG)) {
            p.load(r);
        }
        return p;
    }

    /** A Config whose values come from {@code props} by their DS names, else the annotation defaults. */
    static PubSubConfig.Config config(Map<?, ?> props) {
        return (PubSubConfig.Config) Proxy.newProxyInstance(PubSubConfig.Config.class.getClassLoader(),
                new Class<?>[] {PubSubConfig.Config.class}, (proxy, m, args) -> {
                    if (m.getDeclaringClass() != PubSubConfig.Config.class) {
                        return m.getName().equals("annotationType") ? PubSubConfig.Config.class : null;
                    }
                    Object v = props.get(dsKey(m.getName()));
                    return v == null ? m.getDefaultValue() : parse(m.getReturnType(), v.toString().trim());
                });
    }

    private static Object parse(Class<?> type, String s) {
        if (type == int.class) {
            return Integer.parseInt(s);
        } else if (type == long.class) {
            return Long.parseLong(s);
        } else if (type == double.class) {
            return Double.parseDouble(s);
        } else if (type == boolean.class) {
            return Boolean.parseBoolean(s);
        }
        return s;
    }

    @Test
    void theShippedFileHasEveryKeyWithItsDefault() throws IOException {
        Properties p = cfg();
        Set<String> expected = new TreeSet<>();
        for (Method m : PubSubConfig.Config.class.getDeclaredMethods()) {
            String key = dsKey(m.getName());
            expected.add(key);
            assertTrue(p.containsKey(key), "missing key " + key + " in " + CFG);
            Object def = m.getDefaultValue();
            assertEquals(def, parse(m.getReturnType(), p.getProperty(key).trim()), key + " differs from the default");
        }
        assertEquals(expected, new TreeSet<>(p.stringPropertyNames()), "keys the configuration type does not read");
        assertTrue(expected.contains("d_low") && expected.contains("heartbeat_ms"), "DS names use '_' as the file does");
    }

    @Test
    void defaultsTranslateToTheSpecSettings() {
        GossipSettings s = PubSubConfig.settings(config(Map.of()));
        GossipSettings d = GossipSettings.defaults();
        assertEquals(d.d(), s.d());
        assertEquals(d.dLow(), s.dLow());
        assertEquals(d.heartbeatInterval(), s.heartbeatInterval());
        assertEquals(d.seenTtl(), s.seenTtl());
        assertEquals(d.maxMessageBytes(), s.maxMessageBytes());
        assertEquals(4 * 1024 * 1024, s.maxRpcBytes());
        assertEquals(MessageIdFunction.FROM_SEQNO, s.messageIdFunction());
        assertEquals(d.thresholds(), s.thresholds());
        assertInstanceOf(PeerScore.class, PubSubConfig.scoring(config(Map.of())));
        assertInstanceOf(ZeroScoring.class, PubSubConfig.scoring(config(Map.of("scoring", "false"))));
    }

    @Test
    void valuesApplyAndBadOnesAreNamed() {
        GossipSettings s = PubSubConfig.settings(config(Map.of("d", "8", "d_high", "16", "message_id", "pubkey-seqno",
                "nosign_topics", "a, b", "heartbeat_ms", "700")));
        assertEquals(8, s.d());
        assertEquals(16, s.dHigh());
        assertEquals(MessageIdFunction.PUBKEY_SEQNO, s.messageIdFunction());
        assertEquals(Set.of("a", "b"), s.noSignTopics());
        assertEquals(700, s.heartbeatInterval().toMillis());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PubSubConfig.settings(config(Map.of("message_id", "sha256"))));
        assertTrue(e.getMessage().contains("message_id must be from-seqno or pubkey-seqno"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PubSubConfig.settings(config(Map.of("d_low", "9"))));
        assertTrue(e.getMessage().contains("dLow"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PubSubConfig.networkSettings(config(Map.of("peer_queue_bytes", "1000"))));
        assertTrue(e.getMessage().contains("queue"), e.getMessage());
    }

    @Test
    void topicPropertiesAreSplitOnlyWhenOneString() {
        assertEquals(List.of("a", "b"), PubSubConfig.strings(" a, ,b "));
        assertEquals(List.of("x,y", "z"), PubSubConfig.strings(new String[] {"x,y", " z", ""}));
        assertEquals(List.of("q"), PubSubConfig.strings(List.of("q")));
        assertEquals(List.of(), PubSubConfig.strings(null));
    }
}
