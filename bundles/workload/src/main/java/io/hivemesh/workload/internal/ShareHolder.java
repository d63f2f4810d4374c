package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.CapabilityService;
import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.crypto.SealContext;
import io.hivemesh.api.crypto.Sealer;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage;
import io.hivemesh.protocol.MachineMessage.Delete;
import io.hivemesh.protocol.MachineMessage.ShareDeposit;
import io.hivemesh.protocol.MachineMessage.ShareGrant;
import io.hivemesh.protocol.MachineMessage.ShareRequest;
import io.hivemesh.workload.internal.WorkloadStore.HeldShare;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The share-holder role: keeps the key shares owners deposit (still sealed to this node, on disk),
 * and hands one out, re-sealed to the requester, only to a node that presents an owner-issued
 * capability for that task generation, signed over a challenge this node just gave it.
 */
public final class ShareHolder {
    /** Payload type of sealed shares (in the seal context). */
    static final String SHARE_TYPE = "hivemesh/key-share";
    static final String SHARE_ACTION = "share:get";

    private final PeerId self;
    private final WorkloadStore store;
    private final Sealer sealer;
    private final CapabilityService capabilities;
    private final KeyLookup keys;
    private final TaskEvents events;
    private final Clock clock;

    public ShareHolder(PeerId self, WorkloadStore store, Sealer sealer, CapabilityService capabilities,
                       KeyLookup keys, TaskEvents events, Clock clock) {
        this.self = self;
        this.store = store;
        this.sealer = sealer;
        this.capabilities = capabilities;
        this.keys = keys;
        this.events = events;
        this.clock = clock;
    }

    /** The capability resource of a task generation. */
    static String resource(String taskId, long generation) {
        return "task:" + taskId + "/" + generation;
    }

    /** The seal context of a share of a task generation from {@code sender} to {@code recipient}. */
    static SealContext context(PeerId sender, PeerId recipient, String taskId, long generation) {
        return new SealContext(sender, recipient, SHARE_TYPE, resource(taskId, generation));
    }

    /** An owner deposits a share: kept (sealed as received) unless the task generation is deleted. */
    public void onDeposit(ShareDeposit d) {
        if (store.tombstone(d.taskId()).filter(t -> t.owner().equals(d.owner().toString())
                && t.generation() >= d.generation()).isPresent()) {
            throw new WorkloadException("task " + d.taskId() + " generation " + d.generation() + " is deleted");
        }
        // Check now that it opens (sealed to this node, in this context), so a bad deposit is refused at once.
        byte[] share = sealer.open(context(d.owner(), self, d.taskId(), d.generation()), d.sealedShare());
        java.util.Arrays.fill(share, (byte) 0);
        store.putShare(new HeldShare(d.taskId(), d.generation(), d.owner().toString(), d.index(), d.sealedShare(),
                clock.millis()));
    }

    /**
     * Answers a share request: a fresh challenge first; then, if the capability verifies for the
     * requester, the share re-sealed to it; otherwise a refusal naming the failed check.
     */
    public CompletableFuture<MachineMessage> onRequest(PeerId from, ShareRequest r) {
        Optional<HeldShare> held = store.share(r.taskId(), r.generation());
        if (held.isEmpty()) {
            return CompletableFuture.completedFuture(refuse(r, "this node holds no share of task " + r.taskId()
                    + " generation " + r.generation()));
        }
        if (r.challenge().length == 0) {
            return CompletableFuture.completedFuture(new ShareGrant(r.taskId(), r.generation(), self,
                    capabilities.challenge(), new byte[0], ""));
        }
        HeldShare h = held.get();
        PeerId owner = PeerId.parse(h.owner());
        try {
            capabilities.verify(r.token(), owner, from, r.challenge(), r.signature(),
                    resource(r.taskId(), r.generation()), SHARE_ACTION);
        } catch (CryptoException e) {
            events.add(new MachineMessage.WorkloadEvent(r.taskId(), r.generation(), self, "ShareRefused",
                    "share refused to " + from + ": " + e.getMessage(), clock.millis()));
            return CompletableFuture.completedFuture(refuse(r, "capability refused: " + e.getMessage()));
        }
        return keys.kemKey(from).thenApply(kem -> {
            byte[] share = sealer.open(context(owner, self, r.taskId(), r.generation()), h.sealedShare());
            try {
                byte[] resealed = sealer.seal(kem, context(self, from, r.taskId(), r.generation()), share);
                return new ShareGrant(r.taskId(), r.generation(), self, new byte[0], resealed, "");
            } finally {
                java.util.Arrays.fill(share, (byte) 0);
            }
        });
    }

    /** The owner deleted the task (or retired a generation): drop the shares it covers. */
    public void onDelete(Delete d) {
        store.share(d.taskId(), d.generation()).ifPresent(h -> {
            if (h.owner().equals(d.owner().toString()) && d.replica() < 0) {
                store.removeShare(d.taskId(), h.generation());
            }
        });
    }

    private ShareGrant refuse(ShareRequest r, String why) {
        return new ShareGrant(r.taskId(), r.generation(), self, new byte[0], new byte[0], why);
    }
}
