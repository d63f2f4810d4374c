package io.hivemesh.api.pubsub;

import io.hivemesh.api.peer.PeerId;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link PubSub#publish} did.
 *
 * @param messageId the id of the published message
 * @param peers     the peers it was sent to (mesh, fanout or, with flood publishing, every subscribed peer)
 */
public record PublishResult(byte[] messageId, List<PeerId> peers) {
    public PublishResult {
        messageId = Objects.requireNonNull(messageId, "messageId").clone();
        peers = List.copyOf(peers);
    }

    @Override
    public byte[] messageId() {
        return messageId.clone();
    }

    @Override
    public String toString() {
        return "PublishResult[" + HexFormat.of().formatHex(messageId) + " to " + peers.size() + " peers]";
    }
}
