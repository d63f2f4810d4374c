package io.hivemesh.pubsub.internal;

import com.google.protobuf.CodedOutputStream;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlGraft;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlIDontWant;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlIHave;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlIWant;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlMessage;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlPrune;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Collects what the router sends to each peer during one call (subscriptions, messages, control) and
 * sends it merged at {@link #flush()}, so gossip and GRAFT/PRUNE piggyback on each other. Never builds
 * an RPC larger than {@code maxRpcBytes}: items go into a new RPC when the next one would not fit,
 * and id lists are split across entries. Control items for peers that take none (floodsub) are
 * dropped. Not thread-safe (router thread).
 */
final class Outbox {
    private static final int FIELD_OVERHEAD = 6; // a tag and a length varint of up to 5 bytes

    private final GossipNetwork network;
    private final int maxRpcBytes;
    private final Predicate<PeerId> takesControl;
    private final Map<PeerId, List<RPC.Builder>> pending = new LinkedHashMap<>();
    private final Map<PeerId, Integer> sizes = new LinkedHashMap<>();

    Outbox(GossipNetwork network, int maxRpcBytes, Predicate<PeerId> takesControl) {
        this.network = network;
        this.maxRpcBytes = maxRpcBytes;
        this.takesControl = takesControl;
    }

    void subscription(PeerId peer, boolean subscribe, String topic) {
        RPC.SubOpts s = RPC.SubOpts.newBuilder().setSubscribe(subscribe).setTopicid(topic).build();
        room(peer, CodedOutputStream.computeMessageSize(1, s)).addSubscriptions(s);
    }

    void message(PeerId peer, Message m) {
        room(peer, CodedOutputStream.computeMessageSize(2, m)).addPublish(m);
    }

    void graft(PeerId peer, String topic) {
        if (takesControl.test(peer)) {
            ControlGraft g = ControlGraft.newBuilder().setTopicID(topic).build();
            control(peer, CodedOutputStream.computeMessageSize(3, g)).getControlBuilder().addGraft(g);
        }
    }

    void prune(PeerId peer, ControlPrune p) {
        if (takesControl.test(peer)) {
            control(peer, CodedOutputStream.computeMessageSize(4, p)).getControlBuilder().addPrune(p);
        }
    }

    void ihave(PeerId peer, String topic, List<MessageId> ids) {
        if (!takesControl.test(peer)) {
            return;
        }
        int base = CodedOutputStream.computeStringSize(1, topic);
        for (List<MessageId> chunk : chunks(ids, base)) {
            ControlIHave.Builder b = ControlIHave.newBuilder().setTopicID(topic);
            chunk.forEach(id -> b.addMessageIDs(id.toByteString()));
            ControlIHave h = b.build();
            control(peer, CodedOutputStream.computeMessageSize(1, h)).getControlBuilder().addIhave(h);
        }
    }

    void iwant(PeerId peer, List<MessageId> ids) {
        if (!takesControl.test(peer)) {
            return;
        }
        for (List<MessageId> chunk : chunks(ids, 0)) {
            ControlIWant.Builder b = ControlIWant.newBuilder();
            chunk.forEach(id -> b.addMessageIDs(id.toByteString()));
            ControlIWant w = b.build();
            control(peer, CodedOutputStream.computeMessageSize(2, w)).getControlBuilder().addIwant(w);
        }
    }

    void idontwant(PeerId peer, List<MessageId> ids) {
        if (!takesControl.test(peer)) {
            return;
        }
        for (List<MessageId> chunk : chunks(ids, 0)) {
            ControlIDontWant.Builder b = ControlIDontWant.newBuilder();
            chunk.forEach(id -> b.addMessageIDs(id.toByteString()));
            ControlIDontWant d = b.build();
            control(peer, CodedOutputStream.computeMessageSize(5, d)).getControlBuilder().addIdontwant(d);
        }
    }

    /** Forgets what is queued for {@code peer} (it left). */
    void discard(PeerId peer) {
        pending.remove(peer);
        sizes.remove(peer);
    }

    /** Sends everything queued, one peer after another; returns the number of RPCs the network refused. */
    int flush() {
        if (pending.isEmpty()) {
            return 0;
        }
        // detach first: a network that calls back into the router while sending must not disturb this loop
        List<Map.Entry<PeerId, List<RPC.Builder>>> batch = new ArrayList<>(pending.entrySet());
        pending.clear();
        sizes.clear();
        int refused = 0;
        for (Map.Entry<PeerId, List<RPC.Builder>> e : batch) {
            for (RPC.Builder b : e.getValue()) {
                RPC rpc = b.build();
                if (rpc.getSerializedSize() > maxRpcBytes) {
                    throw new IllegalStateException("pubsub: built an RPC of " + rpc.getSerializedSize()
                            + " bytes for " + e.getKey() + ", over the limit of " + maxRpcBytes);
                }
                if (!network.send(e.getKey(), rpc)) {
                    refused++;
                }
            }
        }
        return refused;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Splits ids into lists whose encoded entry (base bytes + ids) stays well within an RPC; drops ids that cannot fit at all. */
    private List<List<MessageId>> chunks(List<MessageId> ids, int base) {
        int budget = maxRpcBytes / 2;
        List<List<MessageId>> out = new ArrayList<>();
        List<MessageId> current = new ArrayList<>();
        int size = base;
        for (MessageId id : ids) {
            int idSize = 1 + CodedOutputStream.computeUInt32SizeNoTag(id.length()) + id.length();
            if (base + idSize + 2 * FIELD_OVERHEAD > budget) {
                continue;
            }
            if (size + idSize + 2 * FIELD_OVERHEAD > budget) {
                out.add(current);
                current = new ArrayList<>();
                size = base;
            }
            current.add(id);
            size += idSize;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** The builder to add a top-level item of {@code itemSize} bytes to, starting a new RPC if needed. */
    private RPC.Builder room(PeerId peer, int itemSize) {
        return builderFor(peer, itemSize, false);
    }

    /** The builder to add a control item of {@code itemSize} bytes to (the control field's overhead counted). */
    private RPC.Builder control(PeerId peer, int itemSize) {
        return builderFor(peer, itemSize, true);
    }

    private RPC.Builder builderFor(PeerId peer, int itemSize, boolean control) {
        List<RPC.Builder> list = pending.computeIfAbsent(peer, p -> new ArrayList<>());
        int size = sizes.getOrDefault(peer, 0);
        // size counts every item plus, once control exists, the control field's worst-case overhead
        int add = itemSize;
        RPC.Builder last = list.isEmpty() ? null : list.get(list.size() - 1);
        if (control && (last == null || !last.hasControl())) {
            add += FIELD_OVERHEAD;
        }
        if (last == null || size + add > maxRpcBytes) {
            last = RPC.newBuilder();
            list.add(last);
            size = 0;
            add = itemSize + (control ? FIELD_OVERHEAD : 0);
        }
        if (control && !last.hasControl()) {
            last.setControl(ControlMessage.getDefaultInstance());
        }
        sizes.put(peer, size + add);
        return last;
    }
}
