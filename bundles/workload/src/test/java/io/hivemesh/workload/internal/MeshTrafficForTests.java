package io.hivemesh.workload.internal;

import io.hivemesh.protocol.MachineCodec;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What crossed the in-memory mesh, by channel ({@code direct} or {@code gossip}) and message kind:
 * messages and bytes. A direct message counts once with its request and reply bytes; a gossip
 * message counts once per receiver (the in-memory mesh delivers a publication to every other node
 * itself, with no relaying: the count a full-mesh flood would give). The kind is read from the
 * signed envelope's v1 header (docs/crypto.md) and the machine codec, never verified here.
 */
final class MeshTrafficForTests {
    static final String DIRECT = "direct";
    static final String GOSSIP = "gossip";

    private final Map<String, LongAdder[]> counts = new ConcurrentHashMap<>();

    /** One count: messages and bytes. */
    record Count(long messages, long bytes) {
        Count minus(Count o) {
            return new Count(messages - o.messages, bytes - o.bytes);
        }
    }

    /** A direct request of {@code kind} ({@link #kind}) sent. */
    void direct(String kind, int bytes) {
        add(DIRECT, kind, 1, bytes);
    }

    /** The reply to a direct request of kind {@code requestKind}: bytes only. */
    void reply(String requestKind, int bytes) {
        add(DIRECT, requestKind, 0, bytes);
    }

    /** A publication of {@code kind} delivered to {@code receivers} nodes. */
    void gossip(String kind, int bytes, int receivers) {
        add(GOSSIP, kind, receivers, (long) receivers * bytes);
    }

    private void add(String channel, String kind, long messages, long bytes) {
        LongAdder[] c = counts.computeIfAbsent(channel + "/" + kind, k -> new LongAdder[] {new LongAdder(),
                new LongAdder()});
        c[0].add(messages);
        c[1].add(bytes);
    }

    /** Every count so far by {@code channel/kind}, sorted. */
    Map<String, Count> snapshot() {
        Map<String, Count> out = new TreeMap<>();
        counts.forEach((k, c) -> out.put(k, new Count(c[0].sum(), c[1].sum())));
        return out;
    }

    /** The sum over one channel ({@link #DIRECT} or {@link #GOSSIP}) of a snapshot, leaving out {@code exceptKinds}. */
    static Count total(Map<String, Count> snapshot, String channel, java.util.Set<String> exceptKinds) {
        long m = 0;
        long b = 0;
        for (Map.Entry<String, Count> e : snapshot.entrySet()) {
            String[] parts = e.getKey().split("/", 2);
            if (parts[0].equals(channel) && !exceptKinds.contains(parts[1])) {
                m += e.getValue().messages();
                b += e.getValue().bytes();
            }
        }
        return new Count(m, b);
    }

    /** The machine message kind inside a v1 envelope (tag, version, flags, u16 type, u32 payload), or "unreadable". */
    static String kind(byte[] envelope) {
        try {
            ByteBuffer b = ByteBuffer.wrap(envelope);
            if (b.get() != 0x45) {
                return "unreadable";
            }
            b.get();
            b.get();
            int typeLength = Short.toUnsignedInt(b.getShort());
            b.position(b.position() + typeLength);
            int payloadLength = b.getInt();
            byte[] payload = new byte[payloadLength];
            b.get(payload);
            return MachineCodec.decode(payload).getClass().getSimpleName();
        } catch (RuntimeException e) {
            return "unreadable";
        }
    }
}
