package io.hivemesh.pubsub.internal;

import com.google.protobuf.ByteString;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlGraft;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlIDontWant;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlIHave;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlIWant;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlMessage;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlPrune;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import java.util.List;

/** RPC builders for tests that play a peer by hand. */
final class Rpcs {
    private Rpcs() {
    }

    static RPC subscribe(String... topics) {
        RPC.Builder b = RPC.newBuilder();
        for (String t : topics) {
            b.addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(t));
        }
        return b.build();
    }

    static RPC publish(Message... messages) {
        return RPC.newBuilder().addAllPublish(List.of(messages)).build();
    }

    static RPC control(ControlMessage.Builder c) {
        return RPC.newBuilder().setControl(c).build();
    }

    static RPC graft(String topic) {
        return control(ControlMessage.newBuilder().addGraft(ControlGraft.newBuilder().setTopicID(topic)));
    }

    static RPC prune(String topic, long backoffSeconds) {
        return control(ControlMessage.newBuilder().addPrune(ControlPrune.newBuilder().setTopicID(topic).setBackoff(backoffSeconds)));
    }

    static RPC ihave(String topic, byte[]... ids) {
        ControlIHave.Builder h = ControlIHave.newBuilder().setTopicID(topic);
        for (byte[] id : ids) {
            h.addMessageIDs(ByteString.copyFrom(id));
        }
        return control(ControlMessage.newBuilder().addIhave(h));
    }

    static RPC iwant(byte[]... ids) {
        ControlIWant.Builder w = ControlIWant.newBuilder();
        for (byte[] id : ids) {
            w.addMessageIDs(ByteString.copyFrom(id));
        }
        return control(ControlMessage.newBuilder().addIwant(w));
    }

    static RPC idontwant(byte[]... ids) {
        ControlIDontWant.Builder d = ControlIDontWant.newBuilder();
        for (byte[] id : ids) {
            d.addMessageIDs(ByteString.copyFrom(id));
        }
        return control(ControlMessage.newBuilder().addIdontwant(d));
    }

    static boolean hasGraft(List<RPC> rpcs, String topic) {
        return rpcs.stream().anyMatch(r -> r.getControl().getGraftList().stream().anyMatch(g -> g.getTopicID().equals(topic)));
    }

    static List<ControlPrune> prunes(List<RPC> rpcs) {
        return rpcs.stream().flatMap(r -> r.getControl().getPruneList().stream()).toList();
    }

    static List<Message> messages(List<RPC> rpcs) {
        return rpcs.stream().flatMap(r -> r.getPublishList().stream()).toList();
    }

    static List<ByteString> iwantIds(List<RPC> rpcs) {
        return rpcs.stream().flatMap(r -> r.getControl().getIwantList().stream()).flatMap(w -> w.getMessageIDsList().stream()).toList();
    }

    static List<ByteString> idontwantIds(List<RPC> rpcs) {
        return rpcs.stream().flatMap(r -> r.getControl().getIdontwantList().stream()).flatMap(w -> w.getMessageIDsList().stream()).toList();
    }
}
