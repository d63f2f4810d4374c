package io.hivemesh.rest.internal.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadinessChecksTest {
    @Test
    void readyOnlyWhenEveryCheckPassesAndEachIsListed() {
        AtomicBoolean dht = new AtomicBoolean(false);
        ReadinessChecks c = new ReadinessChecks(List.of(
                new ReadinessChecks.Check("host", () -> true, "no host"),
                new ReadinessChecks.Check("dht", dht::get, "no DHT ValueStore service"),
                new ReadinessChecks.Check("pubsub", () -> {
                    throw new IllegalStateException("broken");
                }, "no PubSub service")));

        ReadinessChecks.Result r = c.evaluate();
        assertFalse(r.ready());
        assertEquals("[+]host ok\n[-]dht failed: no DHT ValueStore service\n[-]pubsub failed: no PubSub service\n"
                + "readyz check failed: dht, pubsub missing\n", r.body());

        dht.set(true);
        ReadinessChecks ok = new ReadinessChecks(List.of(new ReadinessChecks.Check("host", () -> true, "x"),
                new ReadinessChecks.Check("dht", dht::get, "y")));
        assertTrue(ok.evaluate().ready());
        assertEquals("[+]host ok\n[+]dht ok\nreadyz check passed\n", ok.evaluate().body());
    }
}
