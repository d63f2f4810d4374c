package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.crypto.Signer;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage;
import io.hivemesh.protocol.MachineMessage.WorkloadEvent;
import io.hivemesh.protocol.MalformedMessageException;
import io.hivemesh.protocol.SignedMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Signed machine-plane messages over a {@link MachineTransport}. Outbound messages are signed by
 * this node; inbound ones are opened (signature, then clock skew, then replay, then the author
 * check) before any handler sees them, and a direct request must be signed by the peer that sent
 * it. A refusal travels back as a signed {@link WorkloadEvent} of kind {@value #REFUSED}; a
 * message that does not verify resets the stream and counts against its sender.
 */
public final class MachineWire {
    static final String REFUSED = "refused";
    private static final Logger LOG = LoggerFactory.getLogger(MachineWire.class);
    private static final byte[] ACK = new byte[0];

    private final MachineTransport transport;
    private final Signer signer;
    private final Clock clock;
    private final Consumer<PeerId> onMisbehaviour;

    public MachineWire(MachineTransport transport, Signer signer, Clock clock, Consumer<PeerId> onMisbehaviour) {
        this.transport = transport;
        this.signer = signer;
        this.clock = clock;
        this.onMisbehaviour = onMisbehaviour;
    }

    public PeerId self() {
        return transport.self();
    }

    public boolean isConnected(PeerId peer) {
        return transport.isConnected(peer);
    }

    /**
     * Sends {@code m} to {@code peer}: completes with its answer (empty for an acknowledgement),
     * exceptionally with a {@link WorkloadException} naming a refusal or a reply that does not verify.
     */
    public CompletableFuture<Optional<MachineMessage>> call(PeerId peer, MachineMessage m, Duration timeout) {
        byte[] envelope = SignedMessages.sign(signer, m);
        return transport.request(peer, envelope, timeout).thenApply(reply -> {
            if (reply.length == 0) {
                return Optional.empty();
            }
            SignedMessages.Verified v;
            try {
                v = SignedMessages.open(signer, reply);
            } catch (MalformedMessageException | CryptoException e) {
                onMisbehaviour.accept(peer);
                throw new WorkloadException("the reply of " + peer + " to " + kind(m) + " does not verify: "
                        + e.getMessage());
            }
            if (!v.signer().equals(peer)) {
                onMisbehaviour.accept(peer);
                throw new WorkloadException("the reply to " + kind(m) + " from " + peer + " is signed by "
                        + v.signer());
            }
            if (v.message() instanceof WorkloadEvent e && REFUSED.equals(e.kind())) {
                throw new WorkloadException(peer + " refused " + kind(m) + ": " + e.message());
            }
            return Optional.of(v.message());
        });
    }

    /** Publishes {@code m} signed on {@code topic}. */
    public CompletableFuture<Void> publish(String topic, MachineMessage m) {
        return transport.publish(topic, SignedMessages.sign(signer, m));
    }

    /** Starts serving {@code handler}; the returned handle stops it. */
    public AutoCloseable serve(Handler handler) {
        return transport.serve(new MachineTransport.Inbound() {
            @Override
            public CompletableFuture<byte[]> onRequest(PeerId from, byte[] envelope) {
                SignedMessages.Verified v;
                try {
                    v = SignedMessages.open(signer, envelope);
                    if (!v.signer().equals(from)) {
                        throw new MalformedMessageException("signed by " + v.signer() + ", not by the sender " + from);
                    }
                } catch (MalformedMessageException | CryptoException e) {
                    onMisbehaviour.accept(from);
                    LOG.info("machine request from {} refused: {}", from, e.getMessage());
                    return CompletableFuture.failedFuture(e);
                }
                CompletableFuture<MachineMessage> answer;
                try {
                    answer = handler.onRequest(from, v.message());
                } catch (RuntimeException e) {
                    answer = CompletableFuture.failedFuture(e);
                }
                return answer.handle((reply, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        return SignedMessages.sign(signer, refusal(v.message(), cause.getMessage()));
                    }
                    return reply == null ? ACK : SignedMessages.sign(signer, reply);
                });
            }

            @Override
            public void onGossip(String topic, PeerId from, byte[] envelope) {
                SignedMessages.Verified v;
                try {
                    v = SignedMessages.open(signer, envelope);
                } catch (MalformedMessageException | CryptoException e) {
                    onMisbehaviour.accept(from);
                    LOG.debug("machine gossip on {} relayed by {} refused: {}", topic, from, e.getMessage());
                    return;
                }
                handler.onGossip(topic, v.message(), v.signer());
            }
        });
    }

    private WorkloadEvent refusal(MachineMessage m, String reason) {
        String r = reason == null ? "refused" : reason;
        if (r.length() > 900) {
            r = r.substring(0, 900);
        }
        return new WorkloadEvent(taskOf(m), 0, self(), REFUSED, kind(m) + ": " + r, clock.millis());
    }

    static String kind(MachineMessage m) {
        return m.getClass().getSimpleName();
    }

    private static String taskOf(MachineMessage m) {
        if (m instanceof MachineMessage.Tender t) {
            return t.taskId();
        } else if (m instanceof MachineMessage.Bid b) {
            return b.taskId();
        } else if (m instanceof MachineMessage.Deploy d) {
            return d.award().taskId();
        } else if (m instanceof MachineMessage.ShareDeposit s) {
            return s.taskId();
        } else if (m instanceof MachineMessage.ShareRequest s) {
            return s.taskId();
        } else if (m instanceof MachineMessage.StatusReport s) {
            return s.taskId();
        } else if (m instanceof MachineMessage.Delete d) {
            return d.taskId();
        } else if (m instanceof MachineMessage.Update u) {
            return u.taskId();
        } else if (m instanceof MachineMessage.LogsRequest l) {
            return l.taskId();
        }
        return "";
    }

    /** What a node does with verified messages. */
    public interface Handler {
        /** Answers a direct request: complete with null to acknowledge, exceptionally to refuse (with a reason). */
        CompletableFuture<MachineMessage> onRequest(PeerId from, MachineMessage m);

        /** A verified gossip message signed by {@code signer} (its author). */
        void onGossip(String topic, MachineMessage m, PeerId signer);
    }
}
