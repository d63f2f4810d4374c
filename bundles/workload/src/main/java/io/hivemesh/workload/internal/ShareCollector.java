package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.CapabilityService;
import io.hivemesh.api.crypto.Sealer;
import io.hivemesh.api.crypto.SecretSharing;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage;
import io.hivemesh.protocol.MachineMessage.Award;
import io.hivemesh.protocol.MachineMessage.ShareGrant;
import io.hivemesh.protocol.MachineMessage.ShareRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An awarded node gathers the manifest key: it asks the award's holders (in random order, all at
 * once) for their shares, presenting the owner's capability over each holder's fresh challenge,
 * and combines the first {@code threshold} shares it gets. Fails naming every holder that refused
 * or did not answer when fewer than the threshold come back.
 */
final class ShareCollector {
    private final PeerId self;
    private final MachineWire wire;
    private final Sealer sealer;
    private final SecretSharing sharing;
    private final CapabilityService capabilities;
    private final ShareHolder localHolder;
    private final Duration timeout;

    ShareCollector(PeerId self, MachineWire wire, Sealer sealer, SecretSharing sharing,
                   CapabilityService capabilities, ShareHolder localHolder, Duration timeout) {
        this.self = self;
        this.wire = wire;
        this.sealer = sealer;
        this.sharing = sharing;
        this.capabilities = capabilities;
        this.localHolder = localHolder;
        this.timeout = timeout;
    }

    /** Completes with the manifest key of the award's task generation. */
    CompletableFuture<byte[]> collect(Award award, byte[] token) {
        List<PeerId> holders = new ArrayList<>(award.holders());
        Collections.shuffle(holders);
        CompletableFuture<byte[]> key = new CompletableFuture<>();
        ConcurrentLinkedQueue<byte[]> shares = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger pending = new AtomicInteger(holders.size());
        if (holders.isEmpty() || award.threshold() < 1 || award.threshold() > holders.size()) {
            return CompletableFuture.failedFuture(new WorkloadException("award of task " + award.taskId()
                    + " names " + holders.size() + " holders and threshold " + award.threshold()));
        }
        for (PeerId holder : holders) {
            shareFrom(holder, award, token).whenComplete((share, error) -> {
                if (error != null) {
                    Throwable c = error.getCause() != null ? error.getCause() : error;
                    failures.add(holder + ": " + c.getMessage());
                } else {
                    shares.add(share);
                }
                if (shares.size() >= award.threshold() && !key.isDone()) {
                    List<byte[]> got = new ArrayList<>(shares).subList(0, award.threshold());
                    try {
                        key.complete(award.threshold() == 1 ? got.get(0) : sharing.combine(got));
                    } catch (RuntimeException e) {
                        key.completeExceptionally(new WorkloadException("the shares of task " + award.taskId()
                                + " do not combine: " + e.getMessage(), e));
                    }
                }
                if (pending.decrementAndGet() == 0 && !key.isDone()) {
                    key.completeExceptionally(new WorkloadException("task " + award.taskId() + " generation "
                            + award.generation() + ": got " + shares.size() + " of the " + award.threshold()
                            + " key shares needed; " + String.join("; ", failures)));
                }
            });
        }
        return key;
    }

    private CompletableFuture<byte[]> shareFrom(PeerId holder, Award award, byte[] token) {
        ShareRequest first = new ShareRequest(award.taskId(), award.generation(), self, token, new byte[0], new byte[0]);
        return ask(holder, first).thenCompose(challenge -> {
            if (challenge.challenge().length == 0) {
                throw new WorkloadException("no challenge in the answer");
            }
            byte[] signature = capabilities.present(token, challenge.challenge());
            return ask(holder, new ShareRequest(award.taskId(), award.generation(), self, token,
                    challenge.challenge(), signature));
        }).thenApply(grant -> {
            if (grant.sealedShare().length == 0) {
                throw new WorkloadException("no share in the answer");
            }
            return sealer.open(ShareHolder.context(holder, self, award.taskId(), award.generation()),
                    grant.sealedShare());
        });
    }

    private CompletableFuture<ShareGrant> ask(PeerId holder, ShareRequest r) {
        CompletableFuture<Optional<MachineMessage>> reply = holder.equals(self)
                ? localHolder.onRequest(self, r).thenApply(Optional::of)
                : wire.call(holder, r, timeout);
        return reply.thenApply(m -> {
            if (m.isEmpty() || !(m.get() instanceof ShareGrant g)) {
                throw new WorkloadException("answered " + m.map(MachineWire::kind).orElse("nothing")
                        + " instead of a ShareGrant");
            }
            if (!g.refusal().isEmpty()) {
                throw new WorkloadException("refused: " + g.refusal());
            }
            return g;
        });
    }
}
