package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The check that every other test relies on actually sees a blocking call on an event loop. */
class EventLoopBlockingCheckTest {

    @Test
    void aSleepOnAnEventLoopIsRecordedAndOneElsewhereIsNot() throws Exception {
        EventLoopBlockingCheck.install();
        EventLoopBlockingCheck.drain();
        NioEventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("check-loop", true));
        try {
            group.submit(() -> {
                Thread.sleep(1);
                return null;
            }).get(10, TimeUnit.SECONDS);
            List<String> seen = EventLoopBlockingCheck.drain();
            assertFalse(seen.isEmpty(), "a sleep on a Netty event loop must be reported");
            assertTrue(seen.get(0).contains("check-loop"), seen.get(0));
            Thread.sleep(1);
            assertTrue(EventLoopBlockingCheck.drain().isEmpty(), "blocking on a test thread is fine");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
