package io.hivemesh.transport.internal;

import io.hivemesh.api.net.ResourceLimitException;
import io.hivemesh.api.net.StreamResetException;
import io.hivemesh.api.peer.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A yamux session (hashicorp/yamux spec.md; libp2p/specs yamux/README.md) over a secured channel:
 * streams both ways, half-close, reset, go-away, keep-alive pings with a timeout, per-stream flow
 * control with window auto-tuning ({@link ReceiveWindow}). Every field is owned by the channel's
 * event loop.
 *
 * <p>Limits: each stream is admitted by the connection's resource scope (counts per connection,
 * peer and system; its initial window's memory reserved), else reset at once; data beyond a
 * stream's credit closes the connection before the body is read ({@link YamuxFrameDecoder}).
 * Control frames (ACKs, window updates, pings, resets) are coalesced into one buffer flushed once per
 * read batch, and held back while the channel is not writable; if a peer that does not read its
 * socket makes more than {@value #CONTROL_CAP} bytes of them pile up, this side stops reading from
 * it until it reads again. A sweep each second enforces stream deadlines (negotiation, reads, writes,
 * close linger, idle raw streams) by resetting.
 */
final class YamuxSession extends ChannelInboundHandlerAdapter implements YamuxFrameDecoder.Credit {
    static final String NAME = "yamux";
    static final int MAX_DATA_FRAME = 256 * 1024;
    /** Control bytes held back while unwritable before this side stops reading. */
    static final int CONTROL_CAP = 64 * 1024;
    /**
     * Data frames per sample of the tiny-frame check: a peer whose data frames average fewer than
     * {@value #MIN_AVERAGE_DATA_FRAME} bytes over this many is flooding headers (each costs this node
     * a frame's worth of work for a byte of data) and loses its connection. Honest traffic never comes
     * close: the smallest libp2p messages (multistream, ping) are tens of bytes.
     */
    static final int TINY_FRAME_SAMPLE = 65_536;
    static final int MIN_AVERAGE_DATA_FRAME = 8;
    private static final Logger LOG = LoggerFactory.getLogger(YamuxSession.class);

    /**
     * Settings of one session.
     *
     * @param maxWindow        largest receive window per stream
     * @param keepAliveTimeout a ping unanswered this long closes the connection
     * @param negotiationTimeout an inbound stream must agree on a protocol within this
     * @param linger           after a local close, the remote must close its side within this
     */
    record Limits(int maxWindow, Duration keepAliveTimeout, Duration negotiationTimeout, Duration linger) {
        static Limits defaults(int maxWindow) {
            return new Limits(maxWindow, Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofSeconds(10));
        }
    }

    private final boolean client;
    private final Limits limits;
    private final PeerId remotePeer;
    private final ResourceScopes.ConnectionScope scope;
    private final Consumer<YamuxStream> inboundStreams;
    private final LongSupplier clock;
    private final Map<Integer, YamuxStream> streams = new HashMap<>();
    private final Map<Integer, CompletableFuture<Long>> pings = new HashMap<>();
    private ChannelHandlerContext ctx;
    private Channel channel;
    private ByteBuf control;
    private ScheduledFuture<?> sweep;
    private int nextId;
    private boolean goAwayReceived;
    private boolean goAwaySent;
    private boolean pausedForControl;
    private long refusalLoggedNanos = Long.MIN_VALUE;
    /** The data frame whose body is arriving: its stream (null: discard), flags and bytes left. */
    private YamuxStream bodyStream;
    private int bodyFlags;
    private long bodyLeft;
    private int sampleFrames;
    private long sampleBytes;
    private volatile long rttNanos;
    private volatile long lastActivityNanos;
    private volatile long lastPingNanos;
    private String closeReason = "connection closed";
    private Throwable failure;

    YamuxSession(boolean client, Limits limits, PeerId remotePeer, ResourceScopes.ConnectionScope scope,
            Consumer<YamuxStream> inboundStreams, LongSupplier nanoClock) {
        this.client = client;
        this.limits = limits;
        this.remotePeer = remotePeer;
        this.scope = scope;
        this.inboundStreams = inboundStreams;
        this.clock = nanoClock;
        this.nextId = client ? 1 : 2;
        this.lastActivityNanos = nanoClock.getAsLong();
        this.lastPingNanos = lastActivityNanos;
    }

    PeerId remotePeer() {
        return remotePeer;
    }

    long rttNanos() {
        return rttNanos;
    }

    long nanoTime() {
        return clock.getAsLong();
    }

    long lingerNanos() {
        return limits.linger().toNanos();
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
        sweep = channel.eventLoop().scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
        ping();
    }

    // ---------------------------------------------------------------- outbound operations

    /** Opens an outbound stream (SYN with a zero window update), admitted by the resource scope. */
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
            ResourceScopes.StreamScope ss;
            try {
                ss = admit(false);
            } catch (ResourceLimitException e) {
                f.completeExceptionally(e);
                return;
            }
            int id = nextId;
            nextId += 2;
            YamuxStream s = new YamuxStream(this, id, true, limits.maxWindow(), ss, nanoTime());
            s.readDeadline = nanoTime() + limits.negotiationTimeout().toNanos();
            s.readDeadlineReason = "protocol negotiation took longer than " + limits.negotiationTimeout();
            streams.put(id, s);
            queueControl(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, id, 0);
            flushControl();
            lastActivityNanos = nanoTime();
            f.complete(s);
        });
        return f;
    }

    private ResourceScopes.StreamScope admit(boolean inbound) {
        ResourceScopes.StreamScope ss = scope.openStream(inbound);
        if (!ss.tryReserve(ReceiveWindow.INITIAL)) {
            String why = ss.lastRefusal();
            ss.close();
            throw new ResourceLimitException("stream window of " + ReceiveWindow.INITIAL + " bytes refused: " + why);
        }
        return ss;
    }

    /** Sends a ping; completes with the round trip in nanoseconds. An answer not in time closes the connection. */
    CompletableFuture<Long> ping() {
        CompletableFuture<Long> rtt = new CompletableFuture<>();
        execute(() -> {
            if (!channel.isActive()) {
                rtt.completeExceptionally(new StreamResetException("connection to " + remotePeer + " is closed"));
                return;
            }
            int opaque = ThreadLocalRandom.current().nextInt();
            long start = nanoTime();
            lastPingNanos = start;
            CompletableFuture<Long> ack = new CompletableFuture<>();
            pings.put(opaque, ack);
            ack.whenComplete((end, e) -> {
                if (e != null) {
                    rtt.completeExceptionally(e);
                } else {
                    rttNanos = end - start;
                    rtt.complete(end - start);
                }
            });
            channel.eventLoop().schedule(() -> {
                if (pings.remove(opaque) != null && channel.isActive()) {
                    closeReason = "keep-alive ping unanswered for " + limits.keepAliveTimeout();
                    LOG.info("closing the connection to {}: {}", remotePeer, closeReason);
                    ack.completeExceptionally(new StreamResetException(closeReason));
                    channel.close();
                }
            }, limits.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS);
            queueControl(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, opaque & 0xFFFFFFFFL);
            flushControl();
        });
        return rtt;
    }

    int streamCount() {
        return streams.size();
    }

    /** The failure that closed the session, if one did (tests and the fuzz oracle). */
    Throwable failure() {
        return failure;
    }

    /** Checks the flow-control invariants of every stream (the fuzz oracle); event loop only. */
    void checkInvariants() {
        for (YamuxStream s : streams.values()) {
            ReceiveWindow w = s.receiveWindow;
            if (w.credit() < 0 || w.buffered() < 0 || w.credit() + w.buffered() > w.target()) {
                throw new AssertionError("stream " + s.id + ": credit " + w.credit() + " + unread " + w.buffered()
                        + " > window " + w.target());
            }
            if (s.inbound.size() > w.target()) {
                throw new AssertionError("stream " + s.id + " buffers " + s.inbound.size() + " > window " + w.target());
            }
            if (!s.reset && s.scope.reserved() < w.target()) {
                throw new AssertionError("stream " + s.id + " window " + w.target() + " not reserved (" + s.scope.reserved()
                        + ")");
            }
        }
    }

    // ---------------------------------------------------------------- control frames

    private void queueControl(int type, int flags, int streamId, long length) {
        if (control == null) {
            control = ctx.alloc().heapBuffer(256);
        }
        YamuxFrame.writeHeader(control, type, flags, streamId, length);
        if (!channel.isWritable() && control.readableBytes() > CONTROL_CAP && !pausedForControl) {
            pausedForControl = true;
            channel.config().setAutoRead(false);
            LOG.debug("yamux: {} does not read its control frames; reading from it paused", remotePeer);
        }
    }

    /** Writes the coalesced control frames if the channel takes them now, and flushes. */
    private void flushControl() {
        if (control != null && control.isReadable() && channel.isWritable()) {
            ByteBuf out = control;
            control = null;
            ctx.write(out);
        }
        ctx.flush();
    }

    // ---------------------------------------------------------------- inbound

    @Override
    public boolean admits(int streamId, long length, boolean syn) {
        YamuxStream s = streams.get(streamId);
        if (s == null) {
            return !syn || length <= ReceiveWindow.INITIAL;
        }
        return s.reset || s.receiveWindow.admits(length);
    }

    @Override
    public long creditOf(int streamId) {
        YamuxStream s = streams.get(streamId);
        return s == null ? ReceiveWindow.INITIAL : s.receiveWindow.credit();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf body) {
            try {
                onBody(body);
            } finally {
                body.release();
            }
            return;
        }
        if (!(msg instanceof YamuxFrame f)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (f.type() == YamuxFrame.TYPE_DATA || f.type() == YamuxFrame.TYPE_WINDOW_UPDATE) {
            lastActivityNanos = nanoTime();
        }
        switch (f.type()) {
            case YamuxFrame.TYPE_PING -> onPing(f);
            case YamuxFrame.TYPE_GO_AWAY -> {
                goAwayReceived = true;
                LOG.debug("yamux: {} sent go-away (code {})", remotePeer, f.length());
            }
            default -> onStreamFrame(f);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushControl();
        ctx.fireChannelReadComplete();
    }

    private void onPing(YamuxFrame f) {
        if (f.has(YamuxFrame.FLAG_SYN)) {
            queueControl(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_ACK, 0, f.length());
        } else if (f.has(YamuxFrame.FLAG_ACK)) {
            CompletableFuture<Long> p = pings.remove((int) f.length());
            if (p != null) {
                p.complete(nanoTime());
            }
        }
    }

    private void onStreamFrame(YamuxFrame f) {
        int id = f.streamId();
        YamuxStream s = streams.get(id);
        if (f.has(YamuxFrame.FLAG_SYN)) {
            if (s != null || id == 0 || (id % 2 == 1) != !client) {
                throw violation("SYN for stream " + id + (s != null ? " already open" : " of the wrong parity"));
            }
            s = acceptStream(id);
            if (s == null) {
                discardBody(f);
                return;
            }
        }
        if (f.type() == YamuxFrame.TYPE_DATA && f.length() > 0) {
            sampleBytes += f.length();
            if (++sampleFrames == TINY_FRAME_SAMPLE) {
                if (sampleBytes < (long) MIN_AVERAGE_DATA_FRAME * TINY_FRAME_SAMPLE) {
                    throw violation(TINY_FRAME_SAMPLE + " data frames averaging " + sampleBytes / TINY_FRAME_SAMPLE
                            + " bytes (fewer than " + MIN_AVERAGE_DATA_FRAME + "): a flood of tiny frames");
                }
                sampleFrames = 0;
                sampleBytes = 0;
            }
            if (s != null && !s.reset) {
                s.receiveWindow.onReceived(f.length());
            }
            bodyStream = s == null || s.reset || s.remoteClosed ? null : s;
            bodyFlags = f.flags();
            bodyLeft = f.length();
            return;
        }
        if (s != null) {
            if (f.type() == YamuxFrame.TYPE_WINDOW_UPDATE) {
                s.sendWindow += f.length();
            }
            applyFlags(s, f.flags());
        }
    }

    private void discardBody(YamuxFrame f) {
        if (f.type() == YamuxFrame.TYPE_DATA && f.length() > 0) {
            bodyStream = null;
            bodyFlags = 0;
            bodyLeft = f.length();
        }
    }

    private YamuxStream acceptStream(int id) {
        if (goAwaySent) {
            queueControl(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST, id, 0);
            return null;
        }
        ResourceScopes.StreamScope ss;
        try {
            ss = admit(true);
        } catch (ResourceLimitException e) {
            long now = nanoTime();
            if (refusalLoggedNanos == Long.MIN_VALUE || now - refusalLoggedNanos > TimeUnit.SECONDS.toNanos(10)) {
                refusalLoggedNanos = now;
                LOG.warn("yamux: resetting stream {} from {}: {} (logged at most every 10 s per connection)", id,
                        remotePeer, e.getMessage());
            }
            queueControl(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST, id, 0);
            return null;
        }
        YamuxStream s = new YamuxStream(this, id, false, limits.maxWindow(), ss, nanoTime());
        s.readDeadline = nanoTime() + limits.negotiationTimeout().toNanos();
        s.readDeadlineReason = "protocol negotiation took longer than " + limits.negotiationTimeout();
        streams.put(id, s);
        queueControl(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_ACK, id, 0);
        inboundStreams.accept(s);
        return s;
    }

    private void onBody(ByteBuf body) {
        int n = body.readableBytes();
        if (n > bodyLeft) {
            throw violation("internal: body longer than its frame");
        }
        bodyLeft -= n;
        YamuxStream s = bodyStream;
        if (s != null && !s.reset) {
            s.inbound.append(body);
        }
        if (bodyLeft == 0) {
            bodyStream = null;
            if (s != null) {
                applyFlags(s, bodyFlags);
            }
        }
    }

    private void applyFlags(YamuxStream s, int flags) {
        if ((flags & YamuxFrame.FLAG_RST) != 0) {
            s.markReset("reset by the remote", false, true);
            if (s.finished()) {
                remove(s);
            }
            return;
        }
        if ((flags & YamuxFrame.FLAG_FIN) != 0) {
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
        long delta = s.receiveWindow.onConsumed(n, nanoTime(), rttNanos, s.scope::tryReserve);
        if (delta > 0 && !s.reset && !s.remoteClosed && channel.isActive()) {
            queueControl(YamuxFrame.TYPE_WINDOW_UPDATE, 0, s.id, delta);
            flushControl();
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
                queueControl(YamuxFrame.TYPE_DATA, YamuxFrame.FLAG_FIN, s.id, 0);
                s.finSent = true;
                wrote = true;
            }
            s.outbound.poll();
            s.lastActivityNanos = nanoTime();
            w.done().complete(null);
        }
        if (s.outbound.isEmpty()) {
            s.writeDeadline = Long.MAX_VALUE;
        }
        if (wrote) {
            lastActivityNanos = nanoTime();
            flushControl();
        }
        if (s.finished()) {
            remove(s);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            flushControl();
            if (pausedForControl && (control == null || control.readableBytes() <= CONTROL_CAP)) {
                pausedForControl = false;
                channel.config().setAutoRead(true);
            }
            for (YamuxStream s : new ArrayList<>(streams.values())) {
                flushWrites(s);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    void resetLocally(YamuxStream s, String reason, boolean timeout) {
        if (s.reset) {
            // reset by the remote with bytes still unread: drop them and the stream now
            s.discardUnread();
            remove(s);
            return;
        }
        if (channel.isActive()) {
            queueControl(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST, s.id, 0);
            flushControl();
        }
        s.markReset(reason, timeout);
        remove(s);
    }

    /** Event loop: a stream whose last unread bytes were just read, after both sides closed. */
    void removeFinished(YamuxStream s) {
        remove(s);
    }

    private void remove(YamuxStream s) {
        if (streams.remove(s.id, s)) {
            s.scope.close();
            s.gone.complete(null);
        }
    }

    /** Each second: resets streams whose deadline passed. */
    private void sweep() {
        if (streams.isEmpty()) {
            return;
        }
        long now = nanoTime();
        for (YamuxStream s : new ArrayList<>(streams.values())) {
            String why = null;
            if (now - s.readDeadline >= 0) {
                why = s.readDeadlineReason;
            } else if (now - s.writeDeadline >= 0) {
                why = "the remote did not accept a write in time";
            } else if (now - s.lingerDeadline >= 0) {
                why = "the remote did not close its side within " + limits.linger() + " of ours";
            } else if (s.idleTimeoutNanos > 0 && now - s.lastActivityNanos >= s.idleTimeoutNanos) {
                why = "idle for " + Duration.ofNanos(s.idleTimeoutNanos);
            }
            if (why != null) {
                LOG.debug("yamux: resetting {}: {}", s, why);
                resetLocally(s, why, true);
            }
        }
    }

    /** Closes the session politely: go-away, then the caller closes the channel. */
    void goAway(int code) {
        execute(() -> {
            if (!goAwaySent && channel.isActive()) {
                goAwaySent = true;
                queueControl(YamuxFrame.TYPE_GO_AWAY, 0, 0, code);
                flushControl();
            }
        });
    }

    private static ProtocolViolationException violation(String reason) {
        return new ProtocolViolationException("yamux: " + reason);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable thrown) {
        Throwable cause = thrown instanceof io.netty.handler.codec.DecoderException
                && thrown.getCause() instanceof ProtocolViolationException ? thrown.getCause() : thrown;
        closeReason = String.valueOf(cause.getMessage());
        failure = cause;
        if (cause instanceof ProtocolViolationException) {
            LOG.warn("closing the connection to {}: {}", remotePeer, cause.getMessage());
            if (!goAwaySent && channel.isActive()) {
                goAwaySent = true;
                ByteBuf b = ctx.alloc().heapBuffer(YamuxFrame.HEADER_LENGTH);
                YamuxFrame.writeHeader(b, YamuxFrame.TYPE_GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
                ctx.writeAndFlush(b);
            }
        } else {
            LOG.debug("closing the connection to {}: {}", remotePeer, cause.toString());
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (sweep != null) {
            sweep.cancel(false);
        }
        for (YamuxStream s : new ArrayList<>(streams.values())) {
            s.markReset(closeReason, false);
            s.scope.close();
            s.gone.complete(null);
        }
        streams.clear();
        for (CompletableFuture<Long> p : new ArrayList<>(pings.values())) {
            p.completeExceptionally(new StreamResetException("connection to " + remotePeer + " closed"));
        }
        pings.clear();
        if (control != null) {
            control.release();
            control = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (control != null) {
            control.release();
            control = null;
        }
    }
}
