package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.SealContext;
import io.hivemesh.api.crypto.Sealer;
import io.hivemesh.api.crypto.SecretSharing;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage.ShareDeposit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The owner's side of the key shares: the manifest key of a generation kept sealed to the owner
 * itself, split k-of-n over the holders, each share sealed to its holder and deposited. Completes
 * with the holders that took their share (the award names only those); fails if fewer than k did.
 */
final class KeyShares {
    static final String KEY_TYPE = "hivemesh/manifest-key";

    private final PeerId self;
    private final Sealer sealer;
    private final SecretSharing sharing;
    private final KeyLookup keys;
    private final StatusReporter sender;

    KeyShares(PeerId self, Sealer sealer, SecretSharing sharing, KeyLookup keys, StatusReporter sender) {
        this.self = self;
        this.sealer = sealer;
        this.sharing = sharing;
        this.keys = keys;
        this.sender = sender;
    }

    private SealContext ownContext(String taskId, long generation) {
        return new SealContext(self, self, KEY_TYPE, ShareHolder.resource(taskId, generation));
    }

    /** The manifest key sealed to this node, for the store. */
    byte[] sealOwn(byte[] key, String taskId, long generation) {
        return sealer.seal(sealer.kemPublicKey(), ownContext(taskId, generation), key);
    }

    /** The manifest key back from its sealed form. */
    byte[] openOwn(byte[] sealedKey, String taskId, long generation) {
        return sealer.open(ownContext(taskId, generation), sealedKey);
    }

    /** Splits {@code key} over {@code holders} (threshold {@link Scheduler#threshold}) and deposits each share. */
    CompletableFuture<Deposited> distribute(byte[] key, String taskId, long generation, List<PeerId> holders) {
        int k = Scheduler.threshold(holders.size());
        // A lone holder (a one-node mesh: the owner awards itself) holds the key itself, sealed to it;
        // Shamir sharing needs at least two shares.
        List<byte[]> shares = holders.size() == 1 ? List.of(key.clone()) : sharing.split(key, k, holders.size());
        List<CompletableFuture<PeerId>> deposits = new ArrayList<>();
        for (int i = 0; i < holders.size(); i++) {
            PeerId holder = holders.get(i);
            byte[] share = shares.get(i);
            int index = i + 1;
            CompletableFuture<byte[]> kem = holder.equals(self)
                    ? CompletableFuture.completedFuture(sealer.kemPublicKey()) : keys.kemKey(holder);
            deposits.add(kem.thenCompose(pub -> {
                byte[] sealed = sealer.seal(pub, ShareHolder.context(self, holder, taskId, generation), share);
                return sender.send(holder, new ShareDeposit(taskId, generation, self, index, sealed));
            }).handle((reply, error) -> error == null ? holder : null));
        }
        return CompletableFuture.allOf(deposits.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<PeerId> took = new ArrayList<>();
            for (CompletableFuture<PeerId> d : deposits) {
                PeerId p = d.join();
                if (p != null) {
                    took.add(p);
                }
            }
            if (took.size() < k) {
                throw new WorkloadException("only " + took.size() + " of " + holders.size()
                        + " share holders took their share of task " + taskId + " (" + k + " needed)");
            }
            return new Deposited(took, k);
        });
    }

    /** The holders that hold a share, and how many shares open the key. */
    record Deposited(List<PeerId> holders, int threshold) {
    }
}
