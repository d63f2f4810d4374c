package io.hivemesh.transport.internal;

import io.hivemesh.api.net.StreamResetException;
import io.hivemesh.api.peer.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A yamux session (hashicorp/yamux spec.md; libp2p/specs yamux/README.md) over a secured channel:
 * streams both ways, half-close, reset, go-away, pings, per-stream flow control with window
 * auto-tuning ({@link ReceiveWindow}) and a limit on concurrent inbound streams. Every field is
 * owned by the channel's event loop. A protocol violation (data beyond the window, a stream id of the
 * wrong parity, ...) sends go-away and closes the connection; a stream over the limit is reset.
 */
final class YamuxSession extends ChannelInboundHandlerAdapter {
    static final String NAME = "yamux";
    static final int MAX_DATA_FRAME = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(YamuxSession.class);

    /** Limits of one session. */
    record Limits(int maxInboundStreams, int maxWindow) {
    }

    private final boolean client;
    private final Limits limits;
    private final PeerId remotePeer;
    private final Consumer<YamuxStream> inboundStreams;
    private final Map<Integer, YamuxStream> streams = new HashMap<>();
    private final Map<Integer, CompletableFuture<Long>> pings = new ConcurrentHashMap<>();
    private ChannelHandlerContext ctx;
    private Channel channel;
    private int nextId;
    private int inboundCount;
    private boolean goAwayReceived;
    private boolean goAwaySent;
    private boolean floodLogged;
    private volatile long rttNanos;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile long lastPingNanos = System.nanoTime();
    private String closeReason = "connection closed";

    YamuxSession(boolean client, Limits limits, PeerId remotePeer, Consumer<YamuxStream> inboundStreams) {
        this.client = client;
        this.limits = limits;
        this.remotePeer = remotePeer;
        this.inboundStreams = inboundStreams;
        this.nextId = client ? 1 : 2;
    }

    PeerId remotePeer() {
        return remotePeer;
    }

    long rttNanos() {
        return rttNanos;
    }

    /** When a stream last opened or carried data or window updates (pings do not count). */
    long lastActivityNanos() {
        return lastActivityNanos;
    }

    /** When this side last sent a ping. */
    long lastPingNanos() {
        return lastPingNanos;
    }

    void execute(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
        ping();
    }

    /** Opens an outbound stream (SYN with a zero window update). */
    CompletableFuture<YamuxStream> openStream() {
        CompletableFuture<YamuxStream> f = new CompletableFuture<>();
        execute(() -> {
            if (!channel.isActive()) {
                f.completeExceptionally(new StreamResetException("connection to " + remotePeer + " is closed"));
                return;
            }
            if (goAwayReceived) {
                f.completeExceptionally(new StreamResetException(remotePeer + " sent go-away: no new streams"));
                return;
            }
            int id = nextId;
            nextId += 2;
            YamuxStream s = new YamuxStream(this, id, true, limits.maxWindow());
            streams.put(id, s);
            writeHeader(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, id, 0);
            ctx.flush();
            lastActivityNanos = System.nanoTime();
            f.complete(s);
        });
        return f;
    }

    /** Sends a ping; completes with the round trip in nanoseconds. */
    CompletableFuture<Long> ping() {
        CompletableFuture<Long> rtt = new CompletableFuture<>();
        execute(() -> {
            if (!channel.isActive()) {
                rtt.completeExceptionally(new StreamResetException("connection to " + remotePeer + " is closed"));
                return;
            }
            CompletableFuture<Long> ack = new CompletableFuture<>();
            int opaque = ThreadLocalRandom.current().nextInt();
            long start = System.nanoTime();
            lastPingNanos = start;
            pings.put(opaque, ack);
            ack.whenComplete((end, e) -> {
                pings.remove(opaque);
                if (e != null) {
                    rtt.completeExceptionally(e);
                } else {
                    rttNanos = end - start;
                    rtt.complete(end - start);
                }
            });
            writeHeader(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, opaque & 0xFFFFFFFFL);
            ctx.flush();
        });
        return rtt;
    }

    int streamCount() {
        return streams.size();
    }

    private void writeHeader(int type, int flags, int streamId, long length) {
        ByteBuf b = ctx.alloc().buffer(YamuxFrame.HEADER_LENGTH);
        YamuxFrame.writeHeader(b, type, flags, streamId, length);
        ctx.write(b);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof YamuxFrame f)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (f.type() == YamuxFrame.TYPE_DATA || f.type() == YamuxFrame.TYPE_WINDOW_UPDATE) {
            lastActivityNanos = System.nanoTime();
        }
        try {
            switch (f.type()) {
                case YamuxFrame.TYPE_PING -> onPing(f);
                case YamuxFrame.TYPE_GO_AWAY -> {
                    goAwayReceived = true;
                    LOG.debug("yamux: {} sent go-away (code {})", remotePeer, f.length());
                }
                default -> onStreamFrame(f);
            }
        } finally {
            if (f.data() != null) {
                f.data().release();
            }
        }
    }

    private void onPing(YamuxFrame f) {
        if (f.has(YamuxFrame.FLAG_SYN)) {
            writeHeader(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_ACK, 0, f.length());
            ctx.flush();
        } else if (f.has(YamuxFrame.FLAG_ACK)) {
            CompletableFuture<Long> p = pings.get((int) f.length());
            if (p != null) {
                p.complete(System.nanoTime());
            }
        }
    }

    private void onStreamFrame(YamuxFrame f) {
        int id = f.streamId();
        YamuxStream s = streams.get(id);
        if (f.has(YamuxFrame.FLAG_SYN)) {
            if (s != null || id == 0 || (id % 2 == 1) != !client) {
                violation("SYN for stream " + id + (s != null ? " already open" : " of the wrong parity"));
                return;
            }
            if (goAwaySent || inboundCount >= limits.maxInboundStreams()) {
                if (!floodLogged) {
                    floodLogged = true;
                    LOG.warn("yamux: {} opened more than {} concurrent streams: resetting stream {} and any further"
                            + " ones over the limit (logged once per connection)", remotePeer,
                            limits.maxInboundStreams(), id);
                }
                writeHeader(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST, id, 0);
                ctx.flush();
                return;
            }
            s = new YamuxStream(this, id, false, limits.maxWindow());
            streams.put(id, s);
            inboundCount++;
            writeHeader(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_ACK, id, 0);
            ctx.flush();
            applyFrame(s, f);
            if (!s.reset) {
                inboundStreams.accept(s);
            }
            return;
        }
        if (s == null) {
            return;
        }
        applyFrame(s, f);
    }

    private void applyFrame(YamuxStream s, YamuxFrame f) {
        if (f.type() == YamuxFrame.TYPE_WINDOW_UPDATE) {
            s.sendWindow += f.length();
        } else if (f.length() > 0) {
            if (!s.receiveWindow.onReceived(f.length())) {
                violation("stream " + s.id + " sent " + f.length() + " bytes beyond the granted window ("
                        + s.receiveWindow.credit() + ")");
                return;
            }
            if (!s.remoteClosed && !s.reset) {
                ByteBuffer copy = ByteBuffer.allocate((int) f.length());
                f.data().getBytes(f.data().readerIndex(), copy);
                copy.flip();
                s.inbound.add(copy);
            }
        }
        if (f.has(YamuxFrame.FLAG_RST)) {
            s.markReset("reset by the remote");
            remove(s);
            return;
        }
        if (f.has(YamuxFrame.FLAG_FIN)) {
            s.remoteClosed = true;
        }
        s.deliver();
        flushWrites(s);
        if (s.finished()) {
            remove(s);
        }
    }

    /** Event loop: the reader consumed {@code n} bytes; maybe grant more window. */
    void consumed(YamuxStream s, int n) {
        int delta = s.receiveWindow.onConsumed(n, System.nanoTime(), rttNanos);
        if (delta > 0 && !s.reset && !s.remoteClosed && channel.isActive()) {
            writeHeader(YamuxFrame.TYPE_WINDOW_UPDATE, 0, s.id, delta);
            ctx.flush();
        }
    }

    /** Event loop: writes queued data of {@code s} as far as its send window and the channel allow. */
    void flushWrites(YamuxStream s) {
        boolean wrote = false;
        while (!s.outbound.isEmpty() && channel.isActive()) {
            YamuxStream.PendingWrite w = s.outbound.peek();
            ByteBuffer data = w.data();
            if (data.hasRemaining()) {
                if (s.sendWindow <= 0 || !channel.isWritable()) {
                    break;
                }
                int n = (int) Math.min(Math.min(data.remaining(), s.sendWindow), MAX_DATA_FRAME);
                boolean last = n == data.remaining() && w.fin();
                ByteBuf frame = ctx.alloc().buffer(YamuxFrame.HEADER_LENGTH + n);
                YamuxFrame.writeHeader(frame, YamuxFrame.TYPE_DATA, last ? YamuxFrame.FLAG_FIN : 0, s.id, n);
                ByteBuffer slice = data.slice();
                slice.limit(n);
                frame.writeBytes(slice);
                data.position(data.position() + n);
                s.sendWindow -= n;
                ctx.write(frame);
                wrote = true;
                if (last) {
                    s.finSent = true;
                }
                if (data.hasRemaining()) {
                    continue;
                }
            } else if (w.fin() && !s.finSent) {
                writeHeader(YamuxFrame.TYPE_DATA, YamuxFrame.FLAG_FIN, s.id, 0);
                s.finSent = true;
                wrote = true;
            }
            s.outbound.poll();
            w.done().complete(null);
        }
        if (wrote) {
            lastActivityNanos = System.nanoTime();
            ctx.flush();
        }
        if (s.finished()) {
            remove(s);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            for (YamuxStream s : new ArrayList<>(streams.values())) {
                flushWrites(s);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    void resetLocally(YamuxStream s, String reason) {
        if (s.reset) {
            return;
        }
        if (channel.isActive()) {
            writeHeader(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST, s.id, 0);
            ctx.flush();
        }
        s.markReset(reason);
        remove(s);
    }

    private void remove(YamuxStream s) {
        if (streams.remove(s.id, s) && !s.isInitiator()) {
            inboundCount--;
        }
    }

    /** Closes the session politely: go-away, then close the channel. */
    void goAway(int code) {
        execute(() -> {
            if (!goAwaySent && channel.isActive()) {
                goAwaySent = true;
                writeHeader(YamuxFrame.TYPE_GO_AWAY, 0, 0, code);
                ctx.flush();
            }
        });
    }

    private void violation(String reason) {
        throw new ProtocolViolationException("yamux: " + reason);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable thrown) {
        Throwable cause = thrown instanceof io.netty.handler.codec.DecoderException
                && thrown.getCause() instanceof ProtocolViolationException ? thrown.getCause() : thrown;
        closeReason = String.valueOf(cause.getMessage());
        if (cause instanceof ProtocolViolationException) {
            LOG.warn("closing the connection to {}: {}", remotePeer, cause.getMessage());
            if (!goAwaySent && channel.isActive()) {
                goAwaySent = true;
                writeHeader(YamuxFrame.TYPE_GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
                ctx.flush();
            }
        } else {
            LOG.debug("closing the connection to {}: {}", remotePeer, cause.toString());
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (YamuxStream s : new ArrayList<>(streams.values())) {
            s.markReset(closeReason);
        }
        streams.clear();
        for (CompletableFuture<Long> p : new ArrayList<>(pings.values())) {
            p.completeExceptionally(new StreamResetException("connection to " + remotePeer + " closed"));
        }
        ctx.fireChannelInactive();
    }
}
