package io.hivemesh.transport.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

/**
 * Jazzer fuzz tests of the transport's decoders: multistream-select messages, the Noise handshake
 * payload, yamux frames (decoder and session) and Identify. Oracle: the decoder either rejects the
 * input with {@link ProtocolViolationException} or accepts it; any other exception is a finding.
 * Seed corpora: {@code TransportFuzzTestInputs/<method>}.
 */
class TransportFuzzTest {
    private static final String DURATION = "30s";
    private static final byte[] STATIC_KEY = new byte[32];

    @FuzzTest(maxDuration = DURATION)
    void multistreamResponder(byte[] input) {
        Multistream.Responder r = new Multistream.Responder(MultistreamTest.ECHO_ONLY, Unpooled.buffer().alloc());
        ByteBuf out = Unpooled.buffer();
        int cut = input.length == 0 ? 0 : (input[0] & 0xFF) % (input.length + 1);
        ByteBuf in = Unpooled.buffer();
        try {
            in.writeBytes(input, 0, cut);
            r.receive(in, out);
            in.writeBytes(input, cut, input.length - cut);
            String agreed = r.receive(in, out);
            if (agreed != null && !agreed.equals("/echo/1.0.0")) {
                throw new AssertionError("agreed on an unsupported protocol: " + agreed);
            }
        } catch (ProtocolViolationException expected) {
            // malformed input, rejected by name
        } finally {
            in.release();
            out.release();
        }
    }

    @FuzzTest(maxDuration = DURATION)
    void noisePayload(byte[] input) {
        try {
            NoisePayloads.verify(input, STATIC_KEY);
            throw new AssertionError("a payload verified against a key nobody signed");
        } catch (ProtocolViolationException expected) {
            // the only acceptable outcome: no signature over STATIC_KEY exists
        }
    }

    @FuzzTest(maxDuration = DURATION)
    void yamuxFrames(byte[] input) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new YamuxFrameDecoder(1 << 20));
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                YamuxFrame f = (YamuxFrame) msg;
                if (f.data() != null) {
                    if (f.data().readableBytes() != f.length()) {
                        throw new AssertionError("data length differs from the header");
                    }
                    f.data().release();
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (!(cause instanceof DecoderException) || !(cause.getCause() instanceof ProtocolViolationException)) {
                    throw new AssertionError("unexpected failure", cause);
                }
                ctx.close();
            }
        });
        ch.writeInbound(Unpooled.wrappedBuffer(input));
        ch.finishAndReleaseAll();

        EmbeddedChannel session = new EmbeddedChannel();
        session.pipeline().addLast(new YamuxFrameDecoder(1 << 20));
        session.pipeline().addLast(new YamuxSession(false, new YamuxSession.Limits(8, 1 << 20),
                FuzzIds.PEER, s -> s.read()));
        session.writeInbound(Unpooled.wrappedBuffer(input));
        session.finishAndReleaseAll();
    }

    @FuzzTest(maxDuration = DURATION)
    void identifyDecode(byte[] input) {
        IdentifyMessages.Info info;
        try {
            info = IdentifyMessages.decode(input);
        } catch (ProtocolViolationException expected) {
            return;
        }
        if (info.publicKey().isPresent()) {
            byte[] again = IdentifyMessages.encode(info.publicKey().get(), info.listenAddrs(),
                    info.observedAddr().orElse(null), info.protocols(), info.agentVersion());
            IdentifyMessages.Info back = IdentifyMessages.decode(again);
            if (!back.protocols().equals(info.protocols()) || !back.listenAddrs().equals(info.listenAddrs())) {
                throw new AssertionError("identify round trip differs: " + info + " vs " + back);
            }
        }
    }

    /** Fixed ids so that fuzzing does not spend time generating keys. */
    static final class FuzzIds {
        static final io.hivemesh.api.peer.PeerId PEER = new TestIdentity().peerId();

        private FuzzIds() {
        }
    }
}
