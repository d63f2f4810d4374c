package io.hivemesh.workload.internal;

/**
 * The guardian roles of one node: as an owner ({@link OwnerGuardians}: records to its guardians,
 * hand-backs, the repair gate) and as a guardian ({@link GuardedTasks}: the records it keeps;
 * {@link GuardianHealing}: healing in a gone owner's place).
 */
public record GuardianRoles(OwnerGuardians owner, GuardedTasks tasks, GuardianHealing healing) {
}
