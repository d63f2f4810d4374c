package io.hivemesh.pubsub.internal;

import io.hivemesh.pubsub.internal.MemoryGossipNet.Node;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;

/** One router subscribed to {@link #T} on a {@link MemoryGossipNet}, and peers the test plays by hand. */
final class RouterFixture {
    static final String T = "t";

    final MemoryGossipNet net;
    final Node r;
    private long seqno = 1;

    RouterFixture(GossipSettings s) {
        net = new MemoryGossipNet(s, 11);
        r = net.router();
        r.router.subscribe(T);
    }

    /** A raw peer on {@code protocol}, connected and subscribed to T. */
    Node peer(String protocol) {
        Node p = net.raw();
        net.connect(p, r, protocol);
        net.inject(p, r, Rpcs.subscribe(T));
        return p;
    }

    /** A signed message of {@code size} data bytes on T by {@code author}. */
    Message message(Node author, int size) {
        return SignedMessages.signed(author.id, author.signing, T, new byte[size], seqno++);
    }

    static byte[] id(Message m) {
        return SignedMessages.id(m, false, MessageIdFunction.FROM_SEQNO).toBytes();
    }
}
