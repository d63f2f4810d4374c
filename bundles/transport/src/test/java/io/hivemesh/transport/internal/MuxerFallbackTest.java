package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A dialer that sends no {@code stream_muxers} in its Noise payload (as older libp2p peers do): the
 * host must fall back to choosing yamux with multistream-select over the secured channel.
 */
class MuxerFallbackTest {
    @Test
    void hostNegotiatesYamuxOverNoiseWhenTheDialerSentNoMuxerList() throws Exception {
        Libp2pHost host = HostLoopbackTest.host();
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try {
            TestIdentity me = new TestIdentity();
            CompletableFuture<YamuxSession> ready = new CompletableFuture<>();
            InetSocketAddress at = HostAddresses.toSocketAddress(host.listenAddresses().get(0));
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new MultistreamHandler(new Multistream.Initiator(List.of("/noise")),
                                    (ctx, p) -> { }));
                            c.pipeline().addLast("noise-handshake", new NoiseHandler(true, me, List.of(), host.peerId(),
                                    new SecureRandom(), (nctx, remote) -> nctx.pipeline().addAfter(
                                            NoiseTransportCodec.NAME, "ms-muxer", new MultistreamHandler(
                                                    new Multistream.Initiator(List.of(Libp2pHost.YAMUX)), (mctx, p) -> {
                                                        ResourceScopes.ConnectionScope scope = new ResourceScopes(
                                                                ResourceScopes.Config.defaults(256L << 20))
                                                                .openConnection(false, at.getAddress());
                                                        scope.setPeer(remote.peerId());
                                                        YamuxSession s = new YamuxSession(true,
                                                                YamuxSession.Limits.defaults(1 << 24), remote.peerId(),
                                                                scope, stream -> stream.reset(), System::nanoTime);
                                                        mctx.pipeline().addAfter(mctx.name(), "frames",
                                                                new YamuxFrameDecoder(s));
                                                        mctx.pipeline().addAfter("frames", "yamux", s);
                                                        ready.complete(s);
                                                    }))));
                        }
                    }).connect(at).sync().channel();
            YamuxSession session = ready.get(10, TimeUnit.SECONDS);
            YamuxStream s = session.openStream().get(10, TimeUnit.SECONDS);
            assertEquals(Libp2pHost.PING,
                    StreamNegotiation.run(s, new Multistream.Initiator(List.of(Libp2pHost.PING))).get(10, TimeUnit.SECONDS));
            byte[] payload = new byte[32];
            new SecureRandom().nextBytes(payload);
            s.write(ByteBuffer.wrap(payload.clone())).get(10, TimeUnit.SECONDS);
            assertArrayEquals(payload, Streams.readExactly(s, 32).get(10, TimeUnit.SECONDS));
            HostLoopbackTest.waitFor(() -> host.connections().stream()
                    .anyMatch(c -> c.remotePeer().equals(me.peerId())));
            ch.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            host.stop();
        }
    }
}
