package io.hivemesh.benchmarks.pubsub;

/** Counters of one simulation run (single-threaded, plain fields). */
final class SimStats {
    /** Honest message copies that reached honest live nodes. */
    long copies;
    /** First deliveries of honest messages at honest nodes (the application saw them). */
    long deliveries;
    /** IWANT ids of honest messages that honest nodes asked for (gossip recovery). */
    long iwantIds;
    /** IWANT ids of spam that honest nodes asked for (spam advertised in IHAVE). */
    long spamIwantIds;
    /** IHAVE ids honest nodes advertised. */
    long ihaveIds;
    /** RPCs lost because the receiver was dead or the link gone. */
    long lost;
    /** Peers dropped by a router ({@code GossipNetwork.dropPeer}). */
    long drops;
    /** Spam copies that reached honest nodes. */
    long spamCopies;
    /** Of those, copies from a sender the receiver had graylisted (ignored unread). */
    long spamGraylisted;
    /** Spam messages that honest applications delivered (must stay 0). */
    long spamDelivered;
}
