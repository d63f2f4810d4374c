package io.hivemesh.discovery.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz test of the DNS message decoder and the mDNS response reader. Oracle: input is either
 * refused with {@link DnsFormatException} or decodes to a message that re-encodes (uncompressed; only
 * an expansion past the size bound may refuse that) to bytes decoding to an equal message, and the
 * mDNS reader returns at most {@link MdnsCodec#MAX_ADDRESSES} addresses; any other exception is a
 * finding. Seed corpus: {@code DnsFuzzTestInputs/decode}.
 */
class DnsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        DnsMessage m;
        try {
            m = DnsCodec.decode(input);
        } catch (DnsFormatException expected) {
            return;
        }
        MdnsCodec.readResponse(m).ifPresent(a -> {
            if (a.addresses().size() > MdnsCodec.MAX_ADDRESSES) {
                throw new AssertionError("more than " + MdnsCodec.MAX_ADDRESSES + " addresses");
            }
        });
        MdnsCodec.isServiceQuery(m);
        byte[] again;
        try {
            again = DnsCodec.encode(m);
        } catch (IllegalArgumentException e) {
            if (e.getMessage().contains("exceeds " + DnsCodec.MAX_MESSAGE_BYTES)) {
                return; // decompressed names can outgrow the bound
            }
            throw e;
        }
        if (!DnsCodec.decode(again).equals(m)) {
            throw new AssertionError("re-encoded message decodes differently");
        }
    }
}
