package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.hivemesh.api.net.Traffic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class TrafficCounterTest {
    @Test
    void countsBothDirectionsOfEveryChannelAndPassesBuffersOnUntouched() {
        TrafficCounter counter = new TrafficCounter();
        EmbeddedChannel a = new EmbeddedChannel(counter);
        EmbeddedChannel b = new EmbeddedChannel(counter); // shared, as in the host

        ByteBuf in = Unpooled.wrappedBuffer(new byte[100]);
        a.writeInbound(in);
        ByteBuf read = a.readInbound();
        assertSame(in, read);
        assertEquals(1, read.refCnt(), "not released by the counter");
        assertEquals(100, read.readableBytes(), "not consumed by the counter");
        read.release();

        b.writeInbound(Unpooled.wrappedBuffer(new byte[20]));
        ((ByteBuf) b.readInbound()).release();
        a.writeOutbound(Unpooled.wrappedBuffer(new byte[7]));
        b.writeOutbound(Unpooled.wrappedBuffer(new byte[0]), "not a buffer");
        ((ByteBuf) a.readOutbound()).release();

        assertEquals(new Traffic(120, 7), counter.totals());
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }
}
