package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.multiformats.Varint;
import io.hivemesh.api.net.MessageTooLargeException;
import io.hivemesh.api.net.ProtocolLimits;
import io.hivemesh.api.net.StreamResetException;
import io.hivemesh.api.net.StreamTimeoutException;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.transport.internal.proto.Libp2pProto.NoiseHandshakePayload;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Jazzer fuzz tests of the transport's decoders: multistream-select messages, the Noise handshake
 * payload, yamux frames (decoder and session), Identify, the Noise handshake (responder), the Noise
 * transport codec and message framing over a yamux stream. Oracle: the decoder either rejects the
 * input with {@link ProtocolViolationException} (message streams: a {@link StreamResetException})
 * or accepts it, and what it accepts agrees with a reference reader in the test; any other
 * exception is a finding. Seed corpora: {@code TransportFuzzTestInputs/<method>}; the happy-path
 * seeds are checked to still reach the happy path ({@link #happyPathSeedsStillReachTheHappyPath}).
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
        if (session.isOpen()) {
            // (a violation in the first half closed it: nothing more can be written)
            session.writeInbound(Unpooled.wrappedBuffer(input, cut, input.length - cut));
            y.checkInvariants();
        }
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

    // ---------------------------------------------------------------- Noise handshake (responder)

    /**
     * The fuzzer's bytes are the initiator's side of the wire (u16be length-prefixed messages 1 and
     * 3), delivered to a responder {@link NoiseHandler} in two reads. Only a protocol violation may
     * fail it (and then the channel is closed). A completed handshake is checked independently: a
     * bare {@link NoiseHandshake} with the same randomness replays the same frames, and the
     * signature in message 3 must verify over the static key it carried; since only
     * {@link NoiseFixtures#INITIATOR}'s signatures exist in the corpus, no other identity can win.
     */
    @FuzzTest(maxDuration = DURATION)
    void noiseHandshake(byte[] input) {
        respondTo(input);
    }

    /** Runs one responder over {@code input} with the oracle above; returns the verified remote or null. */
    static NoisePayloads.Remote respondTo(byte[] input) {
        AtomicReference<NoisePayloads.Remote> secured = new AtomicReference<>();
        Guard guard = new Guard();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("hs", new NoiseHandler(false, NoiseFixtures.RESPONDER, NoiseFixtures.MUXERS, null,
                new NoiseFixtures.FixedRandom(NoiseFixtures.RESPONDER_RANDOM), (ctx, r) -> {
                    if (!secured.compareAndSet(null, r)) {
                        throw new AssertionError("the handshake reported a second remote");
                    }
                }));
        ch.pipeline().addLast("guard", guard);
        int cut = cut(input);
        ByteBuf first = copy(input, 0, cut);
        ByteBuf second = copy(input, cut, input.length - cut);
        ch.writeInbound(first);
        if (ch.isOpen()) {
            ch.writeInbound(second);
        } else {
            second.release();
        }
        List<byte[]> sent = new ArrayList<>();
        ByteBuf out;
        while ((out = ch.readOutbound()) != null) {
            byte[] b = new byte[out.readableBytes()];
            out.readBytes(b);
            out.release();
            sent.add(b);
        }
        boolean open = ch.isOpen();
        ch.finishAndReleaseAll();
        if (first.refCnt() != 0 || second.refCnt() != 0) {
            throw new AssertionError("the handshake kept its input buffers");
        }
        guard.check();
        if (guard.error != null && open) {
            throw new AssertionError("a failed handshake left the channel open", guard.error);
        }
        if (!open && guard.error == null) {
            throw new AssertionError("the channel closed without a protocol violation");
        }
        NoisePayloads.Remote remote = secured.get();
        if (remote != null && guard.error != null && handshakeLength(input) >= input.length) {
            // Bytes past message 3 are transport frames: a bad one may fail the secured channel
            // (the codec's own test covers that). Without such bytes, the error is the handshake's.
            throw new AssertionError("a handshake that failed still reported " + remote.peerId(), guard.error);
        }
        if (remote != null) {
            checkVerifiedRemote(input, remote, sent);
        }
        return remote;
    }

    /** A completed handshake: replayed on a bare NoiseHandshake, the signature must verify and name the remote. */
    private static void checkVerifiedRemote(byte[] input, NoisePayloads.Remote remote, List<byte[]> sent) {
        ByteBuffer wire = ByteBuffer.wrap(input);
        NoiseHandshake shadow = new NoiseHandshake(false, new NoiseFixtures.FixedRandom(NoiseFixtures.RESPONDER_RANDOM));
        shadow.readMessage(nextFrame(wire));
        byte[] message2 = shadow.writeMessage(NoisePayloads.build(NoiseFixtures.RESPONDER, shadow.localStatic(),
                NoiseFixtures.MUXERS));
        byte[] framed2 = ByteBuffer.allocate(2 + message2.length).putShort((short) message2.length).put(message2).array();
        if (sent.size() != 1 || !Arrays.equals(sent.get(0), framed2)) {
            throw new AssertionError("the responder did not send exactly message 2 before completing");
        }
        byte[] payload = shadow.readMessage(nextFrame(wire));
        NoiseHandshakePayload p;
        PublicKey key;
        try {
            p = NoiseHandshakePayload.parseFrom(payload);
            key = PublicKey.fromProtobuf(p.getIdentityKey().toByteArray());
        } catch (com.google.protobuf.InvalidProtocolBufferException | MultiformatException e) {
            throw new AssertionError("the handshake completed on a payload that does not parse", e);
        }
        byte[] signed = NoisePayloads.concat(NoisePayloads.SIGNATURE_PREFIX, shadow.remoteStatic());
        if (!Signatures.verify(key, signed, p.getIdentitySig().toByteArray())) {
            throw new AssertionError("the handshake reported " + remote.peerId()
                    + " although its signature over the static key does not verify");
        }
        if (!PeerId.fromPublicKey(key).equals(remote.peerId())
                || !remote.peerId().equals(NoiseFixtures.INITIATOR.peerId())) {
            throw new AssertionError("the handshake reported " + remote.peerId() + ", not the identity that signed");
        }
    }

    /** Bytes that messages 1 and 3 take at the start of {@code input}, as the responder frames them. */
    private static int handshakeLength(byte[] input) {
        ByteBuffer wire = ByteBuffer.wrap(input);
        int at = 0;
        for (int i = 0; i < 2 && wire.remaining() >= 2; i++) {
            int length = wire.getShort() & 0xFFFF;
            at += 2 + length;
            if (wire.remaining() < length) {
                break;
            }
            wire.position(wire.position() + length);
        }
        return at;
    }

    private static byte[] nextFrame(ByteBuffer wire) {
        byte[] m = new byte[wire.getShort() & 0xFFFF];
        wire.get(m);
        return m;
    }

    // ---------------------------------------------------------------- Noise transport codec

    /**
     * (a) The fuzzer's bytes as ciphertext frames to a receiving {@link NoiseTransportCodec}: it
     * must pass on exactly the plaintexts a reference reader (the JDK cipher, in this test) gets
     * from the whole frames before the first bad one, and fail with a protocol violation, closing
     * the channel, exactly when the reference meets a bad frame. (b) The same bytes as plaintext,
     * once as they are and once tiled to a length around a multiple of {@value
     * NoiseTransportCodec#MAX_PLAINTEXT} (0 to 4 frames' worth): what the receiver decrypts equals
     * what was written, in the documented number of frames. Both ways no buffer stays allocated.
     */
    @FuzzTest(maxDuration = DURATION)
    void noiseTransportCodec(byte[] input) {
        receiveCiphertext(input);
        roundTrip(input);
        if (input.length >= 2) {
            int frames = input[0] & 3;
            int length = Math.max(0, frames * NoiseTransportCodec.MAX_PLAINTEXT + input[1]);
            byte[] tiled = new byte[length];
            for (int i = 0; i < length; i++) {
                tiled[i] = input[i % input.length];
            }
            roundTrip(tiled);
        }
    }

    /** Part (a); returns the plaintexts the codec passed on. */
    static List<byte[]> receiveCiphertext(byte[] input) {
        TrackingAllocator alloc = new TrackingAllocator();
        Guard guard = new Guard();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(NoiseFixtures.codec(false));
        ch.pipeline().addLast(guard);
        int cut = cut(input);
        ByteBuf first = copy(input, 0, cut);
        ByteBuf second = copy(input, cut, input.length - cut);
        ch.writeInbound(first);
        if (ch.isOpen()) {
            ch.writeInbound(second);
        } else {
            second.release();
        }
        List<byte[]> got = drainInbound(ch);
        boolean open = ch.isOpen();
        ch.finishAndReleaseAll();
        guard.check();
        Reference ref = Reference.decrypt(input, NoiseFixtures.KEY_A_TO_B);
        if (got.size() != ref.plaintexts().size()) {
            throw new AssertionError("codec passed on " + got.size() + " frames, the reference decrypts "
                    + ref.plaintexts().size());
        }
        for (int i = 0; i < got.size(); i++) {
            if (!Arrays.equals(got.get(i), ref.plaintexts().get(i))) {
                throw new AssertionError("frame " + i + " decrypted differently from the reference");
            }
        }
        if (ref.failed() != (guard.error != null)) {
            throw new AssertionError(ref.failed() ? "a bad frame was not rejected" : "valid frames were rejected",
                    guard.error);
        }
        if (ref.failed() == open) {
            throw new AssertionError(open ? "the channel stayed open after a bad frame" : "the channel closed on valid frames");
        }
        checkReleased(alloc, first, second);
        return got;
    }

    /** Part (b): {@code plain} written through the sender arrives unchanged at the receiver. */
    static void roundTrip(byte[] plain) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel sender = new EmbeddedChannel();
        sender.config().setAllocator(alloc);
        sender.pipeline().addLast(NoiseFixtures.codec(true));
        Guard guard = new Guard();
        EmbeddedChannel receiver = new EmbeddedChannel();
        receiver.config().setAllocator(alloc);
        receiver.pipeline().addLast(NoiseFixtures.codec(false));
        receiver.pipeline().addLast(guard);
        ByteBuf in = copy(plain, 0, plain.length);
        sender.writeOutbound(in);
        ByteBuf wire = Unpooled.buffer();
        ByteBuf b;
        while ((b = sender.readOutbound()) != null) {
            wire.writeBytes(b);
            b.release();
        }
        int frames = 0;
        for (int at = 0; at < wire.writerIndex(); frames++) {
            at += 2 + wire.getUnsignedShort(at);
        }
        int expectedFrames = Math.max(1, (plain.length + NoiseTransportCodec.MAX_PLAINTEXT - 1)
                / NoiseTransportCodec.MAX_PLAINTEXT);
        if (frames != expectedFrames || wire.readableBytes() != plain.length + frames * (2 + CipherState.TAG_LENGTH)) {
            throw new AssertionError(plain.length + " bytes went out as " + wire.readableBytes() + " bytes in "
                    + frames + " frames, not " + expectedFrames);
        }
        int cut = (int) ((long) cut(plain) * wire.readableBytes() / (plain.length + 1));
        receiver.writeInbound(wire.readRetainedSlice(cut));
        receiver.writeInbound(wire);
        List<byte[]> got = drainInbound(receiver);
        sender.finishAndReleaseAll();
        receiver.finishAndReleaseAll();
        guard.check();
        if (guard.error != null) {
            throw new AssertionError("the receiver refused what the sender encrypted", guard.error);
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        got.forEach(joined::writeBytes);
        if (got.size() != frames || !Arrays.equals(joined.toByteArray(), plain)) {
            throw new AssertionError(plain.length + " bytes written, " + joined.size() + " bytes in "
                    + got.size() + " messages decrypted, different");
        }
        checkReleased(alloc, in);
    }

    private static List<byte[]> drainInbound(EmbeddedChannel ch) {
        List<byte[]> got = new ArrayList<>();
        Object m;
        while ((m = ch.readInbound()) != null) {
            ByteBuf buf = (ByteBuf) m;
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            got.add(bytes);
        }
        return got;
    }

    private static void checkReleased(TrackingAllocator alloc, ByteBuf... inputs) {
        for (ByteBuf in : inputs) {
            if (in.refCnt() != 0) {
                throw new AssertionError("an input buffer was not released");
            }
        }
        if (alloc.live() != 0) {
            throw new AssertionError(alloc.live() + " buffers allocated by the codec were never released");
        }
    }

    /** The Noise transport framing read independently, on the JDK's ChaCha20-Poly1305. */
    record Reference(List<byte[]> plaintexts, boolean failed) {
        static Reference decrypt(byte[] wire, byte[] key) {
            List<byte[]> out = new ArrayList<>();
            try {
                Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
                int pos = 0;
                for (long counter = 0; wire.length - pos >= 2; counter++) {
                    int len = ((wire[pos] & 0xFF) << 8) | (wire[pos + 1] & 0xFF);
                    if (wire.length - pos - 2 < len) {
                        break;
                    }
                    if (len < CipherState.TAG_LENGTH) {
                        return new Reference(out, true);
                    }
                    byte[] nonce = new byte[12];
                    for (int i = 0; i < 8; i++) {
                        nonce[4 + i] = (byte) (counter >>> (8 * i));
                    }
                    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
                    try {
                        out.add(c.doFinal(wire, pos + 2, len));
                    } catch (AEADBadTagException e) {
                        return new Reference(out, true);
                    }
                    pos += 2 + len;
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            return new Reference(out, false);
        }
    }

    // ---------------------------------------------------------------- message framing over yamux

    /** Message limit of the framing target: small, so that both complete and refused messages are common. */
    static final int FRAMING_MAX = 1024;

    /**
     * A {@link FramedStream} (limit {@value #FRAMING_MAX} bytes) on inbound stream 1 of a listener
     * {@link YamuxSession}; the fuzzer's bytes are the stream's data, in two DATA frames split at a
     * fuzzer-chosen point, the second with FIN. Messages are read until the stream ends or fails.
     * Oracle: every message is within the limit, prefixes and bodies never add up to more than the
     * input, the only failures are {@link StreamResetException}s, and the messages and the outcome
     * are exactly those of a reference reader in this test; a failed stream sent a reset; after the
     * channel closed, no memory or stream is left in the system scope and no buffer is live.
     */
    @FuzzTest(maxDuration = DURATION)
    void messageFraming(byte[] input) {
        readMessages(input);
    }

    /** What reading a stream gave: the messages, then an end ({@code failure == null}) or a failure. */
    record Framed(List<byte[]> messages, Throwable failure) {
    }

    static Framed readMessages(byte[] input) {
        byte[] data = input.length > 64 * 1024 ? Arrays.copyOf(input, 64 * 1024) : input;
        ProtocolLimits limits = new ProtocolLimits(FRAMING_MAX, Duration.ofSeconds(10), Duration.ofSeconds(60), 16, 16,
                256, 1, 16);
        ResourceScopes scopes = new ResourceScopes(ResourceScopes.Config.defaults(256L << 20));
        ResourceScopes.ConnectionScope conn = scopes.openConnection(true, java.net.InetAddress.getLoopbackAddress());
        conn.setPeer(FuzzIds.PEER);
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        List<YamuxStream> accepted = new ArrayList<>();
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        YamuxSession session = new YamuxSession(false, YamuxSession.Limits.defaults(1 << 20), FuzzIds.PEER, conn,
                accepted::add, clock::get);
        ch.pipeline().addLast(new YamuxFrameDecoder(session));
        ch.pipeline().addLast(session);
        List<ByteBuf> fed = new ArrayList<>();
        feed(ch, fed, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, data, 0, 0);
        if (accepted.size() != 1) {
            throw new AssertionError("stream 1 was not accepted");
        }
        FramedStream stream = new FramedStream(accepted.get(0), limits, Runnable::run);

        int cut = cut(data);
        List<byte[]> messages = new ArrayList<>();
        Throwable[] failure = {null};
        feed(ch, fed, YamuxFrame.TYPE_DATA, 0, data, 0, cut);
        CompletableFuture<Optional<ByteBuffer>> pending = readUntilPending(ch, stream, null, messages, failure);
        feed(ch, fed, YamuxFrame.TYPE_DATA, YamuxFrame.FLAG_FIN, data, cut, data.length - cut);
        pending = readUntilPending(ch, stream, pending, messages, failure);
        if (pending != null) {
            throw new AssertionError("a read is still pending after the stream's FIN");
        }
        boolean resetSent = sentResetOf(ch, 1);
        boolean open = ch.isOpen();
        ch.finishAndReleaseAll();
        conn.close();

        long consumed = 0;
        for (byte[] m : messages) {
            if (m.length > FRAMING_MAX) {
                throw new AssertionError("a message of " + m.length + " bytes passed the limit of " + FRAMING_MAX);
            }
            consumed += prefixLength(m.length) + m.length;
        }
        if (consumed > data.length) {
            throw new AssertionError(consumed + " bytes of prefixes and messages read from " + data.length + " bytes");
        }
        Throwable f = failure[0];
        if (f != null && !(f instanceof MessageTooLargeException || f instanceof StreamTimeoutException
                || f.getClass() == StreamResetException.class)) {
            throw new AssertionError("reading failed with " + f.getClass().getName(), f);
        }
        FramingReference ref = FramingReference.read(data, FRAMING_MAX);
        if (messages.size() != ref.messages().size()) {
            throw new AssertionError(messages.size() + " messages read, the reference reads " + ref.messages().size(), f);
        }
        for (int i = 0; i < messages.size(); i++) {
            if (!Arrays.equals(messages.get(i), ref.messages().get(i))) {
                throw new AssertionError("message " + i + " differs from the reference's");
            }
        }
        Class<?> expected = switch (ref.outcome()) {
            case END -> null;
            case TOO_LARGE -> MessageTooLargeException.class;
            case TRUNCATED -> StreamResetException.class;
        };
        if ((f == null ? null : f.getClass()) != expected) {
            throw new AssertionError("the stream " + (f == null ? "ended" : "failed with " + f)
                    + ", the reference expects " + ref.outcome(), f);
        }
        if (f != null && !resetSent) {
            throw new AssertionError("the stream failed (" + f.getMessage() + ") but no reset was sent");
        }
        if (!open || session.failure() != null) {
            throw new AssertionError("a message stream's data closed the whole connection", session.failure());
        }
        for (ByteBuf b : fed) {
            if (b.refCnt() != 0) {
                throw new AssertionError("a frame fed to the session was not released");
            }
        }
        if (alloc.live() != 0) {
            throw new AssertionError(alloc.live() + " buffers of the session were never released");
        }
        var system = scopes.system();
        if (system.memory() != 0 || system.inboundStreams() != 0 || system.outboundStreams() != 0) {
            throw new AssertionError("resources leaked after the connection closed: " + system);
        }
        return new Framed(messages, f);
    }

    private static void feed(EmbeddedChannel ch, List<ByteBuf> fed, int type, int flags, byte[] data, int from,
            int length) {
        ByteBuf b = Unpooled.buffer(YamuxFrame.HEADER_LENGTH + length);
        YamuxFrame.writeHeader(b, type, flags, 1, length);
        b.writeBytes(data, from, length);
        fed.add(b);
        ch.writeInbound(b);
        ch.runPendingTasks();
    }

    /** Reads messages while they complete at once; returns the read left waiting for data, or null if the stream ended or failed. */
    private static CompletableFuture<Optional<ByteBuffer>> readUntilPending(EmbeddedChannel ch, FramedStream stream,
            CompletableFuture<Optional<ByteBuffer>> pending, List<byte[]> messages, Throwable[] failure) {
        if (failure[0] != null) {
            return null;
        }
        CompletableFuture<Optional<ByteBuffer>> f = pending;
        while (true) {
            if (f == null) {
                f = stream.read();
            }
            ch.runPendingTasks();
            if (!f.isDone()) {
                return f;
            }
            Optional<ByteBuffer> m;
            try {
                m = f.join();
            } catch (CompletionException e) {
                failure[0] = e.getCause();
                return null;
            }
            if (m.isEmpty()) {
                return null;
            }
            ByteBuffer buf = m.get();
            byte[] bytes = new byte[buf.remaining()];
            buf.get(bytes);
            messages.add(bytes);
            f = null;
        }
    }

    /** Whether the session sent RST for {@code id} (the outbound queue holds headers only: this side sends no data). */
    private static boolean sentResetOf(EmbeddedChannel ch, int id) {
        boolean reset = false;
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            while (b.readableBytes() >= YamuxFrame.HEADER_LENGTH) {
                int flags = b.getUnsignedShort(b.readerIndex() + 2);
                int streamId = b.getInt(b.readerIndex() + 4);
                long length = b.getUnsignedInt(b.readerIndex() + 8);
                int type = b.getByte(b.readerIndex() + 1);
                b.skipBytes(YamuxFrame.HEADER_LENGTH);
                if (type == YamuxFrame.TYPE_DATA) {
                    b.skipBytes((int) Math.min(length, b.readableBytes()));
                }
                reset |= streamId == id && (flags & YamuxFrame.FLAG_RST) != 0;
            }
            b.release();
        }
        return reset;
    }

    private static int prefixLength(long length) {
        int n = 1;
        while (length >= 0x80) {
            length >>>= 7;
            n++;
        }
        return n;
    }

    /** uvarint-prefixed messages read independently of {@link FramedStream}. */
    record FramingReference(List<byte[]> messages, Outcome outcome) {
        enum Outcome { END, TOO_LARGE, TRUNCATED }

        static FramingReference read(byte[] data, int max) {
            List<byte[]> out = new ArrayList<>();
            int pos = 0;
            while (pos < data.length) {
                int n = 0;
                while (pos + n < data.length && n < 5 && (data[pos + n] & 0x80) != 0) {
                    n++;
                }
                if (n == 5) {
                    return new FramingReference(out, Outcome.TOO_LARGE);
                }
                if (pos + n == data.length) {
                    return new FramingReference(out, Outcome.TRUNCATED);
                }
                long length;
                try {
                    length = Varint.read(ByteBuffer.wrap(data, pos, n + 1));
                } catch (MultiformatException e) {
                    return new FramingReference(out, Outcome.TOO_LARGE);
                }
                if (length > max) {
                    return new FramingReference(out, Outcome.TOO_LARGE);
                }
                pos += n + 1;
                if (data.length - pos < length) {
                    return new FramingReference(out, Outcome.TRUNCATED);
                }
                out.add(Arrays.copyOfRange(data, pos, pos + (int) length));
                pos += (int) length;
            }
            return new FramingReference(out, Outcome.END);
        }
    }

    // ---------------------------------------------------------------- seeds and shared pieces

    /** The committed happy-path seeds still do what they were made for (else they silently stop covering it). */
    @Test
    void happyPathSeedsStillReachTheHappyPath() {
        NoisePayloads.Remote remote = respondTo(seed("noiseHandshake", "valid-xx"));
        assertNotNull(remote, "the recorded initiator completes the handshake");
        assertEquals(NoiseFixtures.INITIATOR.peerId(), remote.peerId());
        assertEquals(NoiseFixtures.MUXERS, remote.muxers());
        // Found by fuzzing in CI: a completed handshake followed by an empty (tagless) transport
        // frame. The remote is reported, then the frame fails the channel (respondTo checks both).
        assertNotNull(respondTo(seed("noiseHandshake", "valid-xx-then-empty-transport-frame")));

        List<byte[]> frames = receiveCiphertext(seed("noiseTransportCodec", "valid-frames"));
        assertEquals(List.of("hello", "", "noise"), frames.stream().map(String::new).toList());

        Framed framed = readMessages(seed("messageFraming", "two-messages"));
        assertEquals(List.of("hello", "yamux"), framed.messages().stream().map(String::new).toList());
        assertEquals(null, framed.failure());
        assertTrue(readMessages(seed("messageFraming", "over-limit")).failure() instanceof MessageTooLargeException);
    }

    private static byte[] seed(String method, String name) {
        String path = "TransportFuzzTestInputs/" + method + "/" + name;
        try (InputStream in = TransportFuzzTest.class.getResourceAsStream(path)) {
            assertNotNull(in, path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A releasable copy (also when empty: unlike {@code Unpooled.EMPTY_BUFFER}, its release can be checked). */
    static ByteBuf copy(byte[] b, int from, int length) {
        return Unpooled.buffer(length).writeBytes(b, from, length);
    }

    /** A split point chosen by the input's last byte (which stays part of the input). */
    static int cut(byte[] input) {
        return input.length == 0 ? 0 : (input[input.length - 1] & 0xFF) % (input.length + 1);
    }

    /** Records the first exception and closes the channel, as the host's upgrade guard does. */
    static final class Guard extends ChannelInboundHandlerAdapter {
        Throwable error;

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (error == null) {
                error = cause;
            }
            ctx.close();
        }

        /** Only a protocol violation, as the decoder wraps it, may have been raised. */
        void check() {
            if (error != null && !(error instanceof DecoderException
                    && error.getCause() instanceof ProtocolViolationException)) {
                throw new AssertionError("failed with something other than a protocol violation", error);
            }
        }
    }

    /** Unpooled buffers, each remembered, so that a test can tell whether all of them were released. */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        private final List<ByteBuf> made = new ArrayList<>();

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
            made.add(b);
            return b;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
            made.add(b);
            return b;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        long live() {
            return made.stream().filter(b -> b.refCnt() != 0).count();
        }
    }

    /** Fixed identities, randomness and keys, so that seeds recorded once stay valid handshakes and frames. */
    static final class NoiseFixtures {
        static final TestIdentity INITIATOR = new TestIdentity(filled(0x49));
        static final TestIdentity RESPONDER = new TestIdentity(filled(0x52));
        static final long INITIATOR_RANDOM = 1;
        static final long RESPONDER_RANDOM = 2;
        static final List<String> MUXERS = List.of("/yamux/1.0.0");
        static final byte[] KEY_A_TO_B = filled(0x11);
        static final byte[] KEY_B_TO_A = filled(0x22);

        private NoiseFixtures() {
        }

        /** The sending side (A) or the receiving side (B) of a codec pair with fixed keys and fresh nonces. */
        static NoiseTransportCodec codec(boolean a) {
            return a ? new NoiseTransportCodec(new CipherState(KEY_A_TO_B), new CipherState(KEY_B_TO_A))
                    : new NoiseTransportCodec(new CipherState(KEY_B_TO_A), new CipherState(KEY_A_TO_B));
        }

        static byte[] filled(int b) {
            byte[] k = new byte[32];
            Arrays.fill(k, (byte) b);
            return k;
        }

        /** Deterministic "secure" randomness: the handshake's keys are the same in every run. */
        static final class FixedRandom extends SecureRandom {
            private static final long serialVersionUID = 1L;
            private final Random random;

            FixedRandom(long seed) {
                this.random = new Random(seed);
            }

            @Override
            public void nextBytes(byte[] bytes) {
                random.nextBytes(bytes);
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
