package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.PerfResult;
import io.hivemesh.api.net.Stream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Serving /perf/1.0.0: off by default, and when on limited to one stream per peer and 1 GiB per request. */
class PerfTest {
    private Libp2pHost a;
    private Libp2pHost b;

    @AfterEach
    void stop() {
        if (a != null) {
            a.stop();
        }
        if (b != null) {
            b.stop();
        }
    }

    private void hosts(boolean perf) throws Exception {
        a = HostLoopbackTest.host();
        b = HostLoopbackTest.host(HostLoopbackTest.config().withPerf(perf));
        a.connect(Multiaddr.parse(b.listenAddresses().get(0) + "/p2p/" + b.peerId())).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPeerNotServingPerfIsNamedWithTheSwitchToSet() throws Exception {
        hosts(false);
        assertEquals("not served", b.info().get("perf"));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> a.perf(b.peerId(), 10, 10).get(10, TimeUnit.SECONDS));
        assertInstanceOf(HivemeshException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("set perf = true in etc/io.hivemesh.transport.cfg on that node"),
                e.getCause().getMessage());
        assertTrue(a.ping(b.peerId()).get(10, TimeUnit.SECONDS).toNanos() > 0, "the connection survives");
    }

    @Test
    void oneRequestMayNotAskForMoreThanOneGiB() throws Exception {
        hosts(true);
        Stream s = a.newStream(b.peerId(), List.of(Perf.PROTOCOL)).get(10, TimeUnit.SECONDS);
        s.write(ByteBuffer.allocate(8).putLong(Perf.MAX_BYTES + 1).flip()).get(10, TimeUnit.SECONDS);
        // the server may already have reset the stream: then the half-close fails, which is fine here
        s.closeWrite().handle((v, e) -> null).get(10, TimeUnit.SECONDS);
        // the server resets instead of sending: the read fails (or ends) without a byte of payload
        long got = readAll(s);
        assertEquals(0, got);
        // the client refuses to ask for it in the first place
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> a.perf(b.peerId(), 0, Perf.MAX_BYTES + 1).get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        PerfResult ok = a.perf(b.peerId(), 1000, 1000).get(10, TimeUnit.SECONDS);
        assertEquals(1000, ok.downloaded());
    }

    @Test
    void atMostOnePerfStreamPerPeerAtATime() throws Exception {
        hosts(true);
        assertTrue(b.info().get("perf").startsWith("served"), b.info().toString());
        Stream first = a.newStream(b.peerId(), List.of(Perf.PROTOCOL)).get(10, TimeUnit.SECONDS);
        first.write(ByteBuffer.allocate(8).putLong(5).flip()).get(10, TimeUnit.SECONDS);
        Thread.sleep(300); // let b dispatch the first stream (and charge it) before the second arrives
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> a.perf(b.peerId(), 10, 10).get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof HivemeshException || e.getCause() instanceof java.io.IOException,
                e.getCause().toString());
        // the first is still served; once it is done, another one is admitted
        first.closeWrite().get(10, TimeUnit.SECONDS);
        assertEquals(5, readAll(first));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                assertEquals(10, a.perf(b.peerId(), 10, 10).get(10, TimeUnit.SECONDS).downloaded());
                break;
            } catch (ExecutionException retry) {
                if (System.nanoTime() > deadline) {
                    throw retry;
                }
                Thread.sleep(50); // the first stream's scope is released when its close reaches b
            }
        }
    }

    private static long readAll(Stream s) throws Exception {
        long n = 0;
        while (true) {
            java.util.Optional<ByteBuffer> c;
            try {
                c = s.read().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException reset) {
                return n;
            }
            if (c.isEmpty()) {
                return n;
            }
            n += c.get().remaining();
        }
    }
}
