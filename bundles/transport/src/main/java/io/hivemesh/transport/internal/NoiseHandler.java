package io.hivemesh.transport.internal;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.peer.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The Noise XX handshake on a channel (libp2p/specs noise/README.md): frames are u16be length
 * prefixed. On success it replaces itself with a {@link NoiseTransportCodec} and reports the
 * verified remote; on any failure (malformed, bad signature, PeerId mismatch) the exception closes
 * the channel, and no later byte is read (Netty decodes what is buffered once more as the channel
 * closes: without this a failed handshake could still complete and report a remote). Input buffers
 * are owned by the decoder's cumulation.
 */
final class NoiseHandler extends ByteToMessageDecoder {
    private final NoiseHandshake handshake;
    private final NodeIdentity identity;
    private final List<String> muxers;
    private final PeerId expectedRemote;
    private final BiConsumer<ChannelHandlerContext, NoisePayloads.Remote> onSecured;
    private NoisePayloads.Remote remote;
    private boolean started;
    private boolean failed;

    NoiseHandler(boolean initiator, NodeIdentity identity, List<String> muxers, PeerId expectedRemote,
            SecureRandom random, BiConsumer<ChannelHandlerContext, NoisePayloads.Remote> onSecured) {
        this.handshake = new NoiseHandshake(initiator, random);
        this.identity = identity;
        this.muxers = muxers;
        this.expectedRemote = expectedRemote;
        this.onSecured = onSecured;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            startInitiator(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startInitiator(ctx);
        super.channelActive(ctx);
    }

    /** The initiator's first message ({@code -> e}); sent once the channel is connected. */
    private void startInitiator(ChannelHandlerContext ctx) {
        if (handshake.initiator() && !started) {
            started = true;
            send(ctx, handshake.writeMessage(new byte[0]));
        }
    }

    private void send(ChannelHandlerContext ctx, byte[] message) {
        ByteBuf out = ctx.alloc().buffer(2 + message.length);
        out.writeShort(message.length).writeBytes(message);
        ctx.writeAndFlush(out);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            step(ctx, in);
        } catch (RuntimeException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void step(ChannelHandlerContext ctx, ByteBuf in) {
        while (!handshake.complete() && in.readableBytes() >= 2) {
            int length = in.getUnsignedShort(in.readerIndex());
            if (in.readableBytes() < 2 + length) {
                return;
            }
            in.skipBytes(2);
            byte[] message = new byte[length];
            in.readBytes(message);
            byte[] payload = handshake.readMessage(message);
            if (remote == null && handshake.remoteStatic() != null) {
                remote = NoisePayloads.verify(payload, handshake.remoteStatic());
                if (expectedRemote != null && !expectedRemote.equals(remote.peerId())) {
                    throw new ProtocolViolationException("noise: remote is " + remote.peerId()
                            + ", but the dialed address names " + expectedRemote);
                }
                if (remote.muxersSent() && !muxers.isEmpty()
                        && remote.muxers().stream().noneMatch(muxers::contains)) {
                    throw new ProtocolViolationException("noise: no common stream muxer: remote offers "
                            + remote.muxers() + ", this node " + muxers);
                }
            }
            if (!handshake.complete()) {
                send(ctx, handshake.writeMessage(NoisePayloads.build(identity, handshake.localStatic(), muxers)));
            }
        }
        if (handshake.complete()) {
            if (remote == null) {
                throw new ProtocolViolationException("noise: handshake completed without the remote's identity");
            }
            CipherState[] keys = handshake.split();
            NoiseTransportCodec codec = new NoiseTransportCodec(keys[0], keys[1]);
            ctx.pipeline().addAfter(ctx.name(), NoiseTransportCodec.NAME, codec);
            onSecured.accept(ctx, remote);
            ctx.pipeline().remove(this);
        }
    }
}
