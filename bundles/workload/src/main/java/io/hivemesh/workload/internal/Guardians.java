package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.Capability;
import io.hivemesh.api.crypto.CapabilityService;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage.TaskAssignment;
import io.hivemesh.workload.internal.WorkloadStore.Assignment;

import java.util.ArrayList;
import java.util.List;

/**
 * The guardian rules both sides share: who guards a task (the first {@value #MAX} share holders
 * other than the owner, in the holders' order, so the owner and every holder derive the same
 * list), the heal action, and checking a capability chain locally (this node as presenter of a
 * token granted to it) to learn what it grants.
 */
final class Guardians {
    /** Most guardians per task generation. */
    static final int MAX = 2;
    /** The action a heal capability grants beside {@link ShareHolder#SHARE_ACTION}. */
    static final String HEAL_ACTION = "heal";

    private Guardians() {
    }

    /** The guardians among {@code holders} of a task owned by {@code owner}. */
    static List<PeerId> of(List<PeerId> holders, PeerId owner) {
        List<PeerId> out = new ArrayList<>();
        for (PeerId h : holders) {
            if (!h.equals(owner) && !out.contains(h) && out.size() < MAX) {
                out.add(h);
            }
        }
        return List.copyOf(out);
    }

    /** As {@link #of(List, PeerId)} for holders kept as strings. */
    static List<PeerId> ofStrings(List<String> holders, PeerId owner) {
        return of(holders.stream().map(PeerId::parse).toList(), owner);
    }

    /**
     * What {@code token} grants this node ({@code self}) for {@code action} on {@code resource},
     * rooted at {@code issuer}: the chain verified as a holder would, over a challenge of this
     * node's own. Throws {@link io.hivemesh.api.crypto.CryptoException} naming the failed check.
     */
    static Capability verifyOwn(CapabilityService capabilities, PeerId self, byte[] token, PeerId issuer,
                                String resource, String action) {
        byte[] challenge = capabilities.challenge();
        byte[] signature = capabilities.present(token, challenge);
        return capabilities.verify(token, issuer, self, challenge, signature, resource, action);
    }

    /** The wire form of an assignment. */
    static TaskAssignment wire(Assignment a) {
        return new TaskAssignment(a.replica(), PeerId.parse(a.node()), a.generation(), a.state());
    }

    /** An assignment from its wire form, as reported at {@code nowMillis}. */
    static Assignment stored(TaskAssignment a, long nowMillis) {
        return new Assignment(a.replica(), a.node().toString(), a.generation(), a.state(), "", List.of(), nowMillis);
    }

    /** What a list of assignments places where (replica, node, generation), for comparing views. */
    static String placement(List<Assignment> assignments) {
        return assignments.stream().map(a -> a.replica() + "@" + a.node() + "/" + a.generation()).sorted().toList()
                .toString();
    }
}
