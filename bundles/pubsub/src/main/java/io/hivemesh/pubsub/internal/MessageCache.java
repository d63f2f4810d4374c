package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gossipsub's message cache: validated messages of the last {@code length} heartbeat windows, the ids
 * of the newest {@code gossip} windows for IHAVE, and per message how often each peer was sent it in
 * answer to IWANT. Bounded by a message count and a byte total (the oldest are evicted first).
 * Not thread-safe (router thread).
 */
final class MessageCache {

    /** A cached message. */
    static final class Entry {
        final Message message;
        final String topic;
        final int size;
        final Map<PeerId, Integer> transmissions = new HashMap<>();
        final List<MessageId> window;

        Entry(Message message, String topic, List<MessageId> window) {
            this.message = message;
            this.topic = topic;
            this.window = window;
            this.size = message.getSerializedSize();
        }
    }

    private final int gossip;
    private final int maxMessages;
    private final long maxBytes;
    private final LinkedHashMap<MessageId, Entry> entries = new LinkedHashMap<>();
    private final ArrayDeque<List<MessageId>> windows = new ArrayDeque<>();
    private long bytes;

    MessageCache(int length, int gossip, int maxMessages, long maxBytes) {
        this.gossip = gossip;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        for (int i = 0; i < length; i++) {
            windows.addLast(new ArrayList<>());
        }
    }

    /** Adds a validated message to the newest window (no-op if present). */
    void put(MessageId id, Message message, String topic) {
        if (entries.containsKey(id)) {
            return;
        }
        Entry e = new Entry(message, topic, windows.peekFirst());
        while (!entries.isEmpty() && (entries.size() >= maxMessages || bytes + e.size > maxBytes)) {
            Iterator<Map.Entry<MessageId, Entry>> it = entries.entrySet().iterator();
            bytes -= it.next().getValue().size;
            it.remove(); // its id stays in a window list and is skipped there
        }
        entries.put(id, e);
        bytes += e.size;
        windows.peekFirst().add(id);
    }

    Entry get(MessageId id) {
        return entries.get(id);
    }

    /** The ids of {@code topic} in the gossip windows, newest first. */
    List<MessageId> gossipIds(String topic) {
        List<MessageId> out = new ArrayList<>();
        int w = 0;
        for (List<MessageId> window : windows) {
            if (w++ >= gossip) {
                break;
            }
            for (MessageId id : window) {
                Entry e = entries.get(id);
                if (e != null && e.window == window && e.topic.equals(topic)) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    /** Starts a new window and drops the oldest one's messages (each heartbeat). */
    void shift() {
        List<MessageId> last = windows.pollLast();
        for (MessageId id : last) {
            Entry e = entries.get(id);
            if (e != null && e.window == last) { // not an id evicted and cached again later
                entries.remove(id);
                bytes -= e.size;
            }
        }
        windows.addFirst(new ArrayList<>());
    }

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes;
    }
}
