package io.hivemesh.transport.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.peer.PeerId;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades a TCP channel to a secured, multiplexed libp2p connection (libp2p/specs
 * connections/README.md): multistream {@code /noise} (the dialer pipelines its header, proposal and
 * first Noise message), the Noise XX handshake, then yamux — chosen early through the Noise
 * extensions when the remote offered it, else negotiated with multistream over the secured channel.
 * Bounded by the upgrade deadline; any failure closes the channel and logs why.
 */
final class ConnectionUpgrader {
    static final String NOISE = "/noise";
    static final String YAMUX = "/yamux/1.0.0";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionUpgrader.class);

    /** Called on the channel's event loop once Noise is done and the muxer agreed; installs yamux after {@code after}. */
    interface Secured {
        void start(ChannelPipeline p, String after, boolean initiator, NoisePayloads.Remote remote);
    }

    private final NodeIdentity identity;
    private final SecureRandom random;
    private final Duration timeout;

    ConnectionUpgrader(NodeIdentity identity, SecureRandom random, Duration timeout) {
        this.identity = identity;
        this.random = random;
        this.timeout = timeout;
    }

    /**
     * Installs the handshake handlers on {@code ch}. {@code upgraded} fails if the upgrade fails or
     * takes longer than the deadline (the channel is closed then); {@code secured} is called on success
     * and must complete {@code upgraded}.
     */
    void upgrade(Channel ch, boolean initiator, PeerId expected, CompletableFuture<HostConnection> upgraded,
            Secured secured) {
        ChannelPipeline p = ch.pipeline();
        if (initiator) {
            // Only /noise is proposed, so the first Noise message follows the proposal at once (saves a
            // round trip); any answer but /noise fails the connection, as it would without pipelining.
            p.addLast("multistream-security", new MultistreamHandler(new Multistream.Initiator(List.of(NOISE)),
                    (ctx, proto) -> { }));
            p.addLast("noise-handshake", new NoiseHandler(true, identity, List.of(YAMUX), expected, random,
                    (nctx, remote) -> muxer(nctx, true, remote, secured)));
        } else {
            p.addLast("multistream-security", new MultistreamHandler(new Multistream.Responder(fixed(NOISE), ch.alloc()),
                    (ctx, proto) -> ctx.pipeline().addAfter(ctx.name(), "noise-handshake", new NoiseHandler(false,
                            identity, List.of(YAMUX), expected, random,
                            (nctx, remote) -> muxer(nctx, false, remote, secured)))));
        }
        p.addLast("upgrade-guard", new UpgradeGuard(upgraded));
        var deadline = ch.eventLoop().schedule(() -> {
            if (!upgraded.isDone()) {
                upgraded.completeExceptionally(new HivemeshException("connection upgrade with "
                        + ch.remoteAddress() + " took longer than " + timeout));
                ch.close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        upgraded.whenComplete((c, e) -> {
            // the timer would keep a closed channel (and its buffers) reachable until it fires
            deadline.cancel(false);
            if (e != null) {
                LOG.debug("connection with {} failed before it was secured: {}", ch.remoteAddress(), e.toString());
                ch.close();
            }
        });
    }

    static Multistream.Responder.Protocols fixed(String protocol) {
        return new Multistream.Responder.Protocols() {
            @Override
            public boolean supports(String p) {
                return protocol.equals(p);
            }

            @Override
            public Collection<String> all() {
                return List.of(protocol);
            }
        };
    }

    private void muxer(ChannelHandlerContext ctx, boolean initiator, NoisePayloads.Remote remote, Secured secured) {
        if (remote.muxersSent() && remote.muxers().contains(YAMUX)) {
            secured.start(ctx.pipeline(), NoiseTransportCodec.NAME, initiator, remote);
            return;
        }
        Multistream.Negotiation muxer = initiator ? new Multistream.Initiator(List.of(YAMUX))
                : new Multistream.Responder(fixed(YAMUX), ctx.alloc());
        ctx.pipeline().addAfter(NoiseTransportCodec.NAME, "multistream-muxer", new MultistreamHandler(muxer,
                (mctx, proto) -> secured.start(mctx.pipeline(), mctx.name(), initiator, remote)));
    }

    /** Last handler of a channel: a failure before yamux took over closes the connection and logs why. */
    static final class UpgradeGuard extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<HostConnection> upgraded;

        UpgradeGuard(CompletableFuture<HostConnection> upgraded) {
            this.upgraded = upgraded;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable root = cause.getCause() instanceof ProtocolViolationException ? cause.getCause() : cause;
            if (root instanceof ProtocolViolationException) {
                LOG.info("closing the connection with {}: {}", ctx.channel().remoteAddress(), root.getMessage());
            } else {
                LOG.debug("closing the connection with {}: {}", ctx.channel().remoteAddress(), root.toString());
            }
            upgraded.completeExceptionally(root);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            upgraded.completeExceptionally(new HivemeshException("connection closed by "
                    + ctx.channel().remoteAddress() + " during the upgrade"));
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
