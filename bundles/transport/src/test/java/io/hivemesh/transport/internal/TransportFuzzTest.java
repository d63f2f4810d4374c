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
        // the decoder alone: every data header is followed by body chunks adding up to its length
        long[] bodyLeft = {0};
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new YamuxFrameDecoder(new YamuxFrameDecoder.Credit() {
            @Override
            public boolean admits(int streamId, long length, boolean syn) {
                return length <= (1 << 20);
            }

            @Override
            public long creditOf(int streamId) {
                return 1 << 20;
            }
        }));
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof YamuxFrame f) {
                    if (bodyLeft[0] != 0) {
                        throw new AssertionError("a header arrived inside a body");
                    }
                    if (f.type() == YamuxFrame.TYPE_DATA) {
                        if (f.length() > (1 << 20)) {
                            throw new AssertionError("a data frame beyond the credit was admitted");
                        }
                        bodyLeft[0] = f.length();
                    }
                } else {
                    ByteBuf body = (ByteBuf) msg;
                    bodyLeft[0] -= body.readableBytes();
                    body.release();
                    if (bodyLeft[0] < 0) {
                        throw new AssertionError("body longer than its header");
                    }
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

        // a whole session: only protocol violations close it, flow-control invariants hold, nothing leaks
        ResourceScopes scopes = new ResourceScopes(ResourceScopes.Config.defaults(256L << 20));
        ResourceScopes.ConnectionScope conn = scopes.openConnection(true, java.net.InetAddress.getLoopbackAddress());
        conn.setPeer(FuzzIds.PEER);
        EmbeddedChannel session = new EmbeddedChannel();
        YamuxSession y = new YamuxSession(false, YamuxSession.Limits.defaults(1 << 20), FuzzIds.PEER, conn,
                s -> s.read(), System::nanoTime);
        session.pipeline().addLast(new YamuxFrameDecoder(y));
        session.pipeline().addLast(y);
        int cut = input.length / 2;
        session.writeInbound(Unpooled.wrappedBuffer(input, 0, cut));
        y.checkInvariants();
        session.writeInbound(Unpooled.wrappedBuffer(input, cut, input.length - cut));
        y.checkInvariants();
        Throwable failure = y.failure();
        Throwable root = failure instanceof DecoderException ? failure.getCause() : failure;
        if (failure != null && !(root instanceof ProtocolViolationException)) {
            throw new AssertionError("the session failed on something other than a protocol violation", failure);
        }
        if (y.streamCount() > ResourceScopes.Config.defaults(256L << 20).connection().inboundStreams()) {
            throw new AssertionError(y.streamCount() + " streams admitted, over the connection's limit");
        }
        session.finishAndReleaseAll();
        conn.close();
        if (scopes.system().memory() != 0 || scopes.system().inboundStreams() != 0) {
            throw new AssertionError("resources leaked after the connection closed: " + scopes.system());
        }
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
