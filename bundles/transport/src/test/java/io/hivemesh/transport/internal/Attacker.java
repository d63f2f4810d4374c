package io.hivemesh.transport.internal;

import io.hivemesh.api.peer.PeerId;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hostile libp2p peer for the adversarial tests (a mock of nothing: it speaks real multistream,
 * Noise and yamux to the node, then misbehaves at the frame level): it can send any yamux frames,
 * stop reading its socket, and reports the frames the node sent back. Connects from a chosen
 * loopback address (e.g. 127.0.0.2) so that per-IP limits do not touch honest peers on 127.0.0.1.
 */
final class Attacker implements AutoCloseable {
    private static final EventLoopGroup GROUP = new NioEventLoopGroup(1);

    final Channel channel;
    final PeerId id;
    private final ConcurrentLinkedQueue<YamuxFrame> live;
    private final CompletableFuture<ChannelHandlerContext> secured;

    private Attacker(Channel channel, PeerId id, CompletableFuture<ChannelHandlerContext> secured,
            ConcurrentLinkedQueue<YamuxFrame> received) {
        this.channel = channel;
        this.id = id;
        this.secured = secured;
        this.live = received;
    }

    /** Connects to {@code target} from {@code from} and completes the handshake (yamux chosen in Noise). */
    static Attacker connect(Libp2pHost target, InetAddress from) throws Exception {
        return connect(target, from, 0);
    }

    /**
     * As {@link #connect(Libp2pHost, InetAddress)}, with a socket receive buffer of {@code receiveBuffer}
     * bytes (0: the system's), so that a peer that stops reading fills the node's send path quickly.
     */
    static Attacker connect(Libp2pHost target, InetAddress from, int receiveBuffer) throws Exception {
        int port = HostAddresses.toSocketAddress(target.listenAddresses().get(0)).getPort();
        return connect(new InetSocketAddress("127.0.0.1", port), target.peerId(), from, receiveBuffer);
    }

    /** Connects to the node {@code target} listening at {@code at} (e.g. another process) from {@code from}. */
    static Attacker connect(InetSocketAddress at, PeerId target, InetAddress from) throws Exception {
        return connect(at, target, from, 0);
    }

    static Attacker connect(InetSocketAddress at, PeerId target, InetAddress from, int receiveBuffer) throws Exception {
        TestIdentity me = new TestIdentity();
        CompletableFuture<ChannelHandlerContext> secured = new CompletableFuture<>();
        ConcurrentLinkedQueue<YamuxFrame> received = new ConcurrentLinkedQueue<>();
        Bootstrap bootstrap = new Bootstrap();
        if (receiveBuffer > 0) {
            bootstrap.option(io.netty.channel.ChannelOption.SO_RCVBUF, receiveBuffer);
        }
        Channel ch = bootstrap.group(GROUP).channel(NioSocketChannel.class)
                .localAddress(new InetSocketAddress(from, 0))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new MultistreamHandler(new Multistream.Initiator(List.of("/noise")),
                                (ctx, p) -> { }));
                        c.pipeline().addLast("noise-handshake", new NoiseHandler(true, me, List.of(Libp2pHost.YAMUX),
                                target, new SecureRandom(), (nctx, remote) -> {
                                    nctx.pipeline().addAfter(NoiseTransportCodec.NAME, "frames",
                                            new YamuxFrameDecoder(new YamuxFrameDecoder.Credit() {
                                                @Override
                                                public boolean admits(int streamId, long length, boolean syn) {
                                                    return true;
                                                }

                                                @Override
                                                public long creditOf(int streamId) {
                                                    return Long.MAX_VALUE;
                                                }
                                            }));
                                    nctx.pipeline().addAfter("frames", "sink", new ChannelInboundHandlerAdapter() {
                                        @Override
                                        public void handlerAdded(ChannelHandlerContext ctx) {
                                            secured.complete(ctx);
                                        }

                                        @Override
                                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                            if (msg instanceof YamuxFrame f) {
                                                received.add(f);
                                            } else {
                                                ((ByteBuf) msg).release();
                                            }
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                            ctx.close();
                                        }
                                    });
                                }));
                    }
                }).connect(at).sync().channel();
        secured.get(10, TimeUnit.SECONDS);
        return new Attacker(ch, me.peerId(), secured, received);
    }

    /** The frames the node sent so far (pings, ACKs, window updates, resets, go-away). */
    List<YamuxFrame> frames() {
        return List.copyOf(live);
    }

    long count(int type, int flag) {
        return live.stream().filter(f -> f.type() == type && (flag == 0 || f.has(flag))).count();
    }

    /** Writes raw yamux bytes (encrypted by the Noise codec). */
    void send(ByteBuf yamux) throws Exception {
        ChannelHandlerContext ctx = secured.get(10, TimeUnit.SECONDS);
        ctx.channel().eventLoop().submit(() -> ctx.writeAndFlush(yamux)).get(10, TimeUnit.SECONDS);
    }

    static ByteBuf header(int type, int flags, int id, long length) {
        ByteBuf b = Unpooled.buffer(YamuxFrame.HEADER_LENGTH);
        YamuxFrame.writeHeader(b, type, flags, id, length);
        return b;
    }

    /** SYN, then multistream header and proposal of {@code protocol} on stream {@code id}. */
    void openStream(int id, String protocol) throws Exception {
        ByteBuf ms = Unpooled.buffer();
        Multistream.writeMessage(ms, Multistream.PROTOCOL_ID);
        Multistream.writeMessage(ms, protocol);
        ByteBuf out = Unpooled.buffer();
        YamuxFrame.writeHeader(out, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, id, 0);
        YamuxFrame.writeHeader(out, YamuxFrame.TYPE_DATA, 0, id, ms.readableBytes());
        out.writeBytes(ms);
        ms.release();
        send(out);
    }

    /** Stops reading the socket (the node's writes pile up in the kernel, then in its own buffers). */
    void stopReading() {
        channel.config().setAutoRead(false);
    }

    boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    static String text(ByteBuf b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
