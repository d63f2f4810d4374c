package io.hivemesh.api.net;

import java.time.Duration;
import java.util.Map;

/**
 * The limits and deadlines the transport applies to every stream of one protocol. A handler service
 * may set any of them as service properties (the {@code PROP_*} names, values as numbers or
 * strings); what it leaves out comes from {@link #defaults()}, and the operator's configuration
 * ({@code io.hivemesh.transport.limits}) may lower them further. Immutable.
 *
 * @param maxMessageBytes the largest message (the payload after its uvarint length prefix); a
 *                        longer prefix resets the stream before any of its body is buffered
 * @param messageTimeout  time allowed for a whole message to arrive once its first byte did, and for
 *                        one write to be accepted by the remote's flow-control window
 * @param idleTimeout     a stream of this protocol with no complete message for this long is reset
 *                        (zero: never; long-lived streams such as gossip set zero)
 * @param inboundStreamsPerPeer  concurrent inbound streams of this protocol from one peer
 * @param outboundStreamsPerPeer concurrent outbound streams of this protocol to one peer (further
 *                               request-response calls wait their turn, bounded by their timeout)
 * @param inboundStreams  concurrent inbound streams of this protocol from all peers
 * @param handlerThreads  threads of the protocol's handler executor (created on demand)
 * @param handlerQueue    streams and requests waiting for a handler thread; beyond this new streams
 *                        are reset with a logged reason
 */
public record ProtocolLimits(int maxMessageBytes, Duration messageTimeout, Duration idleTimeout,
        int inboundStreamsPerPeer, int outboundStreamsPerPeer, int inboundStreams, int handlerThreads,
        int handlerQueue) {

    public static final String PROP_MAX_MESSAGE_BYTES = "hivemesh.protocol.max.message.bytes";
    public static final String PROP_MESSAGE_TIMEOUT_MS = "hivemesh.protocol.message.timeout.ms";
    public static final String PROP_IDLE_TIMEOUT_MS = "hivemesh.protocol.idle.timeout.ms";
    public static final String PROP_INBOUND_STREAMS_PER_PEER = "hivemesh.protocol.inbound.streams.per.peer";
    public static final String PROP_OUTBOUND_STREAMS_PER_PEER = "hivemesh.protocol.outbound.streams.per.peer";
    public static final String PROP_INBOUND_STREAMS = "hivemesh.protocol.inbound.streams";
    public static final String PROP_HANDLER_THREADS = "hivemesh.protocol.handler.threads";
    public static final String PROP_HANDLER_QUEUE = "hivemesh.protocol.handler.queue";

    /** The largest message any protocol may declare (16 MiB). */
    public static final int MAX_MESSAGE_CEILING = 16 * 1024 * 1024;

    public ProtocolLimits {
        if (maxMessageBytes < 1 || maxMessageBytes > MAX_MESSAGE_CEILING) {
            throw new IllegalArgumentException("maxMessageBytes must be 1.." + MAX_MESSAGE_CEILING + ", not "
                    + maxMessageBytes);
        }
        if (messageTimeout == null || messageTimeout.isNegative() || messageTimeout.isZero()) {
            throw new IllegalArgumentException("messageTimeout must be positive, not " + messageTimeout);
        }
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must be zero or positive, not " + idleTimeout);
        }
        if (inboundStreamsPerPeer < 1 || outboundStreamsPerPeer < 1 || inboundStreams < 1 || handlerThreads < 1
                || handlerQueue < 0) {
            throw new IllegalArgumentException("stream counts and handler threads must be positive (queue >= 0): "
                    + inboundStreamsPerPeer + ", " + outboundStreamsPerPeer + ", " + inboundStreams + ", "
                    + handlerThreads + ", " + handlerQueue);
        }
    }

    /**
     * Defaults: 1 MiB messages, 10 s per message, 60 s idle, 16 inbound and 16 outbound streams per
     * peer, 256 inbound streams in all, 2 handler threads with 256 queued.
     */
    public static ProtocolLimits defaults() {
        return new ProtocolLimits(1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(60), 16, 16, 256, 2, 256);
    }

    /** These limits with the {@code PROP_*} entries of {@code props} applied (unparsable values are refused). */
    public ProtocolLimits with(Map<String, ?> props) {
        return new ProtocolLimits(
                intProp(props, PROP_MAX_MESSAGE_BYTES, maxMessageBytes),
                Duration.ofMillis(longProp(props, PROP_MESSAGE_TIMEOUT_MS, messageTimeout.toMillis())),
                Duration.ofMillis(longProp(props, PROP_IDLE_TIMEOUT_MS, idleTimeout.toMillis())),
                intProp(props, PROP_INBOUND_STREAMS_PER_PEER, inboundStreamsPerPeer),
                intProp(props, PROP_OUTBOUND_STREAMS_PER_PEER, outboundStreamsPerPeer),
                intProp(props, PROP_INBOUND_STREAMS, inboundStreams),
                intProp(props, PROP_HANDLER_THREADS, handlerThreads),
                intProp(props, PROP_HANDLER_QUEUE, handlerQueue));
    }

    private static int intProp(Map<String, ?> props, String name, int fallback) {
        return Math.toIntExact(longProp(props, name, fallback));
    }

    private static long longProp(Map<String, ?> props, String name, long fallback) {
        Object v = props.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("service property " + name + " must be a number, not '" + v + "'", e);
        }
    }

    /** These limits, none above {@code cap}'s (the operator's ceiling). */
    public ProtocolLimits capped(ProtocolLimits cap) {
        return new ProtocolLimits(Math.min(maxMessageBytes, cap.maxMessageBytes),
                min(messageTimeout, cap.messageTimeout),
                idleTimeout.isZero() ? cap.idleTimeout : cap.idleTimeout.isZero() ? idleTimeout
                        : min(idleTimeout, cap.idleTimeout),
                Math.min(inboundStreamsPerPeer, cap.inboundStreamsPerPeer),
                Math.min(outboundStreamsPerPeer, cap.outboundStreamsPerPeer),
                Math.min(inboundStreams, cap.inboundStreams),
                Math.min(handlerThreads, cap.handlerThreads),
                Math.min(handlerQueue, cap.handlerQueue));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
