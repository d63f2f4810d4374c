package io.hivemesh.pubsub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiaddrProtocol;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.transport.internal.JsPeer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed commands for the js-libp2p gossipsub peer (src/test/js-peer/peer.mjs, its README states the
 * options it runs with: message id from ‖ seqno, publishing to zero peers allowed, IP colocation
 * threshold 10).
 */
final class JsGossipPeer implements AutoCloseable {
    private static final long TIMEOUT_S = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    final JsPeer js;
    final PeerId peerId;

    /** A js peer started with {@code options} (see peer.mjs), e.g. {@code Map.of("scoreTopics", ...)}. */
    JsGossipPeer(Map<String, Object> options) throws Exception {
        js = options.isEmpty() ? new JsPeer() : new JsPeer(JSON.writeValueAsString(options));
        peerId = PeerId.parse(js.peerId);
    }

    JsGossipPeer() throws Exception {
        this(Map.of());
    }

    /** The listen address without {@code /p2p/}. */
    Multiaddr address() {
        Multiaddr a = Multiaddr.parse(js.address);
        List<Multiaddr.Component> cs = a.components();
        return cs.get(cs.size() - 1).protocol() == MultiaddrProtocol.P2P ? Multiaddr.of(cs.subList(0, cs.size() - 1)) : a;
    }

    /** The listen address with {@code /p2p/<id>}. */
    String fullAddress() {
        return js.address;
    }

    JsonNode call(String cmd, Map<String, Object> args) throws Exception {
        return js.call(cmd, args, TIMEOUT_S);
    }

    void dial(String addr) throws Exception {
        call("dial", Map.of("addr", addr));
    }

    void subscribe(String topic) throws Exception {
        call("subscribe", Map.of("topic", topic));
    }

    void unsubscribe(String topic) throws Exception {
        call("unsubscribe", Map.of("topic", topic));
    }

    /** Publishes {@code text}; returns the recipients js names. */
    Set<String> publish(String topic, String text) throws Exception {
        return strings(call("publish", Map.of("topic", topic, "text", text)).get("recipients"));
    }

    /** Sends a hand-built message broken as {@code tamper} says ("signature", "data", "none") to {@code peer}. */
    JsonNode publishTampered(String topic, String text, PeerId peer, String tamper) throws Exception {
        Map<String, Object> args = new HashMap<>(Map.of("topic", topic, "text", text, "tamper", tamper));
        if (peer != null) {
            args.put("peer", peer.toString());
        }
        return call("publishTampered", args);
    }

    /** The messages js delivered on {@code topic} (first copies, own publications excluded). */
    List<JsonNode> messages(String topic) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        call("messages", Map.of("topic", topic)).get("messages").forEach(out::add);
        return out;
    }

    /** The texts of {@link #messages(String)}. */
    List<String> texts(String topic) throws Exception {
        return messages(topic).stream().map(m -> m.get("text").asText()).toList();
    }

    Set<String> mesh(String topic) throws Exception {
        return strings(call("mesh", Map.of("topic", topic)).get("peers"));
    }

    Set<String> subscribers(String topic) throws Exception {
        return strings(call("peers", Map.of("topic", topic)).get("peers"));
    }

    double score(PeerId peer) throws Exception {
        return call("score", Map.of("peer", peer.toString())).get("score").asDouble();
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Stops the js process (bounded: {@link JsPeer#close()} kills it if it does not exit in time). */
    @Override
    public void close() {
        try {
            js.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("js peer " + peerId + " did not stop: " + e, e);
        }
    }
}
