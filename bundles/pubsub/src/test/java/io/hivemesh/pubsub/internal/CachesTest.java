package io.hivemesh.pubsub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seen cache (TTL, capacity) and the message cache (windows, gossip ids, bounds). */
class CachesTest {

    private static MessageId id(int i) {
        return MessageId.of(new byte[] {(byte) i, (byte) (i >> 8)});
    }

    private static Message msg(String topic, int size) {
        return Message.newBuilder().setTopic(topic).setData(ByteString.copyFrom(new byte[size])).build();
    }

    @Test
    void seenIdsExpireAfterTheirTtl() {
        SeenCache seen = new SeenCache(1000, 100);
        assertTrue(seen.add(id(1), 0));
        assertFalse(seen.add(id(1), 500));
        assertTrue(seen.add(id(2), 600));
        assertTrue(seen.contains(id(1), 999));
        assertFalse(seen.contains(id(1), 1000));
        assertTrue(seen.contains(id(2), 1000));
        assertEquals(1, seen.size());
    }

    @Test
    void theSeenCacheEvictsTheOldestBeyondItsCapacity() {
        SeenCache seen = new SeenCache(60_000, 3);
        for (int i = 0; i < 5; i++) {
            seen.add(id(i), i);
        }
        assertEquals(3, seen.size());
        assertFalse(seen.contains(id(1), 10));
        assertTrue(seen.contains(id(4), 10));
    }

    @Test
    void theMessageCacheGossipsTheNewestWindowsAndForgetsAfterItsLength() {
        MessageCache c = new MessageCache(5, 3, 1000, 1 << 20);
        c.put(id(1), msg("a", 1), "a");
        c.put(id(2), msg("b", 1), "b");
        assertEquals(List.of(id(1)), c.gossipIds("a"));
        c.shift();
        c.shift();
        c.put(id(3), msg("a", 1), "a");
        assertEquals(List.of(id(3), id(1)), c.gossipIds("a"), "newest first");
        c.shift();
        assertEquals(List.of(id(3)), c.gossipIds("a"), "id 1 left the 3 gossip windows");
        assertNotNull(c.get(id(1)), "but is still served for IWANT");
        c.shift();
        c.shift();
        assertNull(c.get(id(1)), "gone after 5 windows");
        assertNotNull(c.get(id(3)));
    }

    @Test
    void theMessageCacheIsBoundedByCountAndBytesAndSurvivesReinsertion() {
        MessageCache c = new MessageCache(5, 3, 3, 1 << 20);
        for (int i = 0; i < 4; i++) {
            c.put(id(i), msg("a", 10), "a");
        }
        assertEquals(3, c.size());
        assertNull(c.get(id(0)));
        c.shift();
        c.put(id(0), msg("a", 10), "a"); // evicted earlier, cached again in a newer window
        for (int i = 0; i < 4; i++) {
            c.shift();
        }
        assertNotNull(c.get(id(0)), "the old window's removal does not drop the newer copy");
        MessageCache bytes = new MessageCache(5, 3, 100, 250);
        for (int i = 0; i < 3; i++) {
            bytes.put(id(i), msg("a", 100), "a");
        }
        assertTrue(bytes.bytes() <= 250);
        assertEquals(2, bytes.size());
    }
}
