package io.hivemesh.api.multiformats;

/**
 * The multicodec content-type codes Hivemesh puts in CIDs. {@link Cid} accepts exactly these four.
 *
 * <p>Stateless and thread-safe.
 */
public final class Multicodec {
    /** Raw bytes. */
    public static final int RAW = 0x55;
    /** MerkleDAG protobuf (UnixFS); the implicit codec of CIDv0. */
    public static final int DAG_PB = 0x70;
    /** MerkleDAG CBOR. */
    public static final int DAG_CBOR = 0x71;
    /** A libp2p public key: CIDs of PeerIds. */
    public static final int LIBP2P_KEY = 0x72;

    private Multicodec() {
    }

    /**
     * The multicodec name of {@code code} ({@code raw}, {@code dag-pb}, {@code dag-cbor},
     * {@code libp2p-key}), or, for a code this class does not know, the code in hex ({@code 0x...}).
     * Never throws.
     */
    public static String name(long code) {
        if (code == RAW) {
            return "raw";
        } else if (code == DAG_PB) {
            return "dag-pb";
        } else if (code == DAG_CBOR) {
            return "dag-cbor";
        } else if (code == LIBP2P_KEY) {
            return "libp2p-key";
        }
        return Text.hex(code);
    }

    /** Whether {@code code} is one of the content types {@link Cid} accepts. */
    public static boolean isKnownCidCodec(long code) {
        return code == RAW || code == DAG_PB || code == DAG_CBOR || code == LIBP2P_KEY;
    }
}
