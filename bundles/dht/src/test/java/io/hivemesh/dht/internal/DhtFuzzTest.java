package io.hivemesh.dht.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.dht.internal.proto.DhtProto.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * Jazzer fuzz test of the Kademlia message decoder. Oracle: a frame is either refused with
 * {@link DhtProtocolException} or decodes to a message whose re-encoding decodes to an equal message
 * and whose peer lists yield only valid, distinct peers; any other exception is a finding.
 * Seed corpus: {@code DhtFuzzTestInputs/decodeFrame}.
 */
class DhtFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodeFrame(byte[] input) {
        Message m;
        try {
            m = DhtCodec.decodeFrame(input);
        } catch (DhtProtocolException expected) {
            return;
        }
        Message again = DhtCodec.decodeFrame(DhtCodec.encode(m));
        if (!again.equals(m)) {
            throw new AssertionError("re-encoded message decodes differently");
        }
        List<String> reasons = new ArrayList<>();
        List<PeerInfo> closer = DhtCodec.peers(m.getCloserPeersList(), reasons);
        List<PeerInfo> providers = DhtCodec.peers(m.getProviderPeersList(), reasons);
        if (closer.stream().map(PeerInfo::peer).distinct().count() != closer.size()
                || providers.stream().map(PeerInfo::peer).distinct().count() != providers.size()) {
            throw new AssertionError("duplicate peers survived");
        }
    }
}
