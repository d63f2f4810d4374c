package io.hivemesh.api.pubsub;

import io.hivemesh.api.peer.PeerId;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A validated message as delivered to subscribers and validators.
 *
 * @param topic        the topic it was published on
 * @param data         the payload
 * @param from         the author (absent for StrictNoSign topics)
 * @param seqno        the author's 64-bit sequence number (absent for StrictNoSign topics)
 * @param id           the message id (the topic's id function: by default from ‖ seqno)
 * @param receivedFrom the peer that sent this copy (this node's own id for local publications)
 */
public record PubSubMessage(String topic, byte[] data, Optional<PeerId> from, OptionalLong seqno, byte[] id,
        PeerId receivedFrom) {

    public PubSubMessage {
        Objects.requireNonNull(topic, "topic");
        data = Objects.requireNonNull(data, "data").clone();
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(seqno, "seqno");
        id = Objects.requireNonNull(id, "id").clone();
        Objects.requireNonNull(receivedFrom, "receivedFrom");
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    /** The id in lower-case hex. */
    public String idHex() {
        return HexFormat.of().formatHex(id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PubSubMessage m && topic.equals(m.topic) && Arrays.equals(data, m.data)
                && from.equals(m.from) && seqno.equals(m.seqno) && Arrays.equals(id, m.id)
                && receivedFrom.equals(m.receivedFrom);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "PubSubMessage[" + topic + ", " + data.length + " bytes, id " + idHex() + ", from "
                + from.map(PeerId::toString).orElse("-") + "]";
    }
}
