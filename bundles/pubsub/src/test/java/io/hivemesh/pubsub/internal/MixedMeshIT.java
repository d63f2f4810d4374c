package io.hivemesh.pubsub.internal;

import static io.hivemesh.pubsub.internal.TestMessages.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three js-libp2p and three Java gossipsub peers on one topic, joined in a connected graph that is not a
 * full mesh (a ring js0–J0–js1–J1–js2–J2–js0 plus the chord J0–J1): every message published by each of
 * the six reaches each of the other five exactly once (counted per subscriber: none missing, no
 * duplicate delivered). Half the messages are 1 KiB, so js's and Java's IDONTWANT are exchanged too.
 */
class MixedMeshIT {
    private static final String TOPIC = "mixed-topic";
    private static final long WAIT_S = 60;
    private static final int PER_PUBLISHER = 5;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** One of the six, as seen by the test. */
    private interface Member {
        String id();

        void publish(String text) throws Exception;

        /** Every delivered text (with repeats, if any were delivered twice). */
        List<String> texts() throws Exception;

        Set<String> mesh() throws Exception;
    }

    private static Member of(JsGossipPeer js) {
        return new Member() {
            @Override
            public String id() {
                return js.peerId.toString();
            }

            @Override
            public void publish(String text) throws Exception {
                js.publish(TOPIC, text);
            }

            @Override
            public List<String> texts() throws Exception {
                return js.texts(TOPIC);
            }

            @Override
            public Set<String> mesh() throws Exception {
                return js.mesh(TOPIC);
            }
        };
    }

    private static Member of(JavaNode j) {
        return new Member() {
            @Override
            public String id() {
                return j.peerId().toString();
            }

            @Override
            public void publish(String text) throws Exception {
                j.pubsub.publish(TOPIC, utf8(text)).get(WAIT_S, TimeUnit.SECONDS);
            }

            @Override
            public List<String> texts() {
                return j.texts(TOPIC);
            }

            @Override
            public Set<String> mesh() {
                return j.pubsub.mesh(TOPIC).stream().map(Object::toString).collect(Collectors.toSet());
            }
        };
    }

    @Test
    void everyMessageReachesEverySubscriberExactlyOnce() throws Exception {
        List<JsGossipPeer> js = new ArrayList<>();
        List<JavaNode> java = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsGossipPeer p = new JsGossipPeer();
            closing.add(p);
            js.add(p);
            JavaNode j = new JavaNode();
            closing.add(j);
            java.add(j);
        }
        for (JsGossipPeer p : js) {
            p.subscribe(TOPIC);
        }
        for (JavaNode j : java) {
            j.subscribe(TOPIC);
        }
        // ring js0–J0–js1–J1–js2–J2–js0 (dialled from both kinds of side) and the chord J0–J1
        Map<String, Set<String>> neighbours = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
            JavaNode j = java.get(i);
            j.connect(js.get(i).peerId, js.get(i).address());          // J_i dials js_i
            js.get((i + 1) % 3).dial(j.fullAddress());                  // js_{i+1} dials J_i
            link(neighbours, j.peerId().toString(), js.get(i).peerId.toString());
            link(neighbours, j.peerId().toString(), js.get((i + 1) % 3).peerId.toString());
        }
        java.get(1).connect(java.get(0));
        link(neighbours, java.get(0).peerId().toString(), java.get(1).peerId().toString());

        List<Member> members = new ArrayList<>();
        js.forEach(p -> members.add(of(p)));
        java.forEach(j -> members.add(of(j)));
        // every neighbour is in the mesh (each node has at most 3 neighbours, below D_low)
        for (Member m : members) {
            Waits.until(() -> m.id() + " meshes with all of " + neighbours.get(m.id()), WAIT_S,
                    () -> m.mesh().containsAll(neighbours.get(m.id())));
        }

        Map<String, String> author = new LinkedHashMap<>();
        for (int round = 0; round < PER_PUBLISHER; round++) {
            for (Member m : members) {
                // odd rounds carry 1 KiB: over js's 512-byte IDONTWANT threshold, so IDONTWANT is in play
                String text = "msg " + round + " from " + m.id() + (round % 2 == 1 ? " " + "p".repeat(1024) : "");
                author.put(text, m.id());
                m.publish(text);
            }
        }
        for (Member m : members) {
            List<String> expected = author.entrySet().stream().filter(e -> !e.getValue().equals(m.id()))
                    .map(Map.Entry::getKey).sorted().toList();
            Waits.until(() -> {
                try {
                    return m.id() + " has all " + expected.size() + " messages of the others, has " + m.texts().size();
                } catch (Exception e) {
                    return m.id() + ": " + e;
                }
            }, WAIT_S, () -> m.texts().containsAll(expected));
        }
        // one more round as a barrier: a duplicate of the earlier messages would have been delivered by the
        // time every node has the barrier messages (they travel the same paths)
        for (Member m : members) {
            String text = "barrier from " + m.id();
            author.put(text, m.id());
            m.publish(text);
        }
        for (Member m : members) {
            List<String> expected = author.entrySet().stream().filter(e -> !e.getValue().equals(m.id()))
                    .map(Map.Entry::getKey).sorted().toList();
            Waits.until(m.id() + " has the barrier messages", WAIT_S, () -> m.texts().containsAll(expected));
            List<String> got = new ArrayList<>(m.texts());
            got.sort(null);
            assertEquals(expected, got, m.id() + ": every other member's message exactly once, no own message");
        }
    }

    private static void link(Map<String, Set<String>> graph, String a, String b) {
        graph.computeIfAbsent(a, k -> new java.util.HashSet<>()).add(b);
        graph.computeIfAbsent(b, k -> new java.util.HashSet<>()).add(a);
    }
}
