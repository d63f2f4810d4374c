package io.hivemesh.api.multiformats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MulticodecTest {
    @Test
    void namesAndKnownCodecs() {
        assertEquals("raw", Multicodec.name(0x55));
        assertEquals("dag-pb", Multicodec.name(Multicodec.DAG_PB));
        assertEquals("dag-cbor", Multicodec.name(Multicodec.DAG_CBOR));
        assertEquals("libp2p-key", Multicodec.name(Multicodec.LIBP2P_KEY));
        assertEquals("0x129", Multicodec.name(0x0129));
        assertTrue(Multicodec.isKnownCidCodec(Multicodec.RAW));
        assertFalse(Multicodec.isKnownCidCodec(0x0129));
    }
}
