package io.hivemesh.runtime.mock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.runtime.conformance.RuntimeEngineConformance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MockEngineTest extends RuntimeEngineConformance {
    private final MockEngine engine = new MockEngine(Duration.ZERO, 0, 1);

    @Override
    protected RuntimeEngine engine() {
        return engine;
    }

    @Test
    void saysPlainlyThatItRunsNothing() throws Exception {
        assertEquals("in-memory (runs nothing)", get(engine.info()).version());
        get(engine.deploy("ct-say", pod("say", "echo hi", 0), DeployConfig.defaults()));
        assertEquals(List.of("mock: ct-say-say/main would run localhost/busybox:latest; nothing runs"),
                get(engine.logs("ct-say", 10)));
        assertTrue(get(engine.status("ct-say")).reason().orElseThrow().contains("nothing runs"));
        assertEquals(1, engine.pods("ct-say").size());
        assertEquals(List.of("ct-say"), engine.workloadIds());
    }

    @Test
    void failuresAreDeterministicForASeed() {
        List<Boolean> first = outcomes(new MockEngine(Duration.ZERO, 0.5, 42));
        List<Boolean> second = outcomes(new MockEngine(Duration.ZERO, 0.5, 42));
        assertEquals(first, second);
        assertTrue(first.contains(true) && first.contains(false), first::toString);
    }

    private List<Boolean> outcomes(MockEngine mock) {
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            out.add(mock.deploy("ct-f" + i, pod("f", "true", 0), DeployConfig.defaults()).isCompletedExceptionally());
        }
        assertEquals(20, mock.deployCount());
        assertEquals(out.stream().filter(b -> b).count(), mock.simulatedFailures());
        return out;
    }

    @Test
    void hostPortsClashBetweenItsWorkloadsAndDelayApplies() throws Exception {
        MockEngine slow = new MockEngine(Duration.ofMillis(200), 0, 1);
        long start = System.nanoTime();
        get(slow.deploy("ct-a", pod("a", "true", 28999), DeployConfig.defaults()));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(200).toNanos());
        Throwable t = failure(slow.deploy("ct-b", pod("b", "true", 28999), DeployConfig.defaults()));
        assertTrue(t.getMessage().contains("host port 28999 is taken by workload ct-a"), t.getMessage());
        assertNoSuchWorkload(slow.status("ct-b"));
    }

    @Test
    void followEndsWhenTheWorkloadIsRemoved() throws Exception {
        get(engine.deploy("ct-fol", pod("fol", "true", 0), DeployConfig.defaults()));
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> follow = engine.followLogs("ct-fol", 5, lines::add);
        assertEquals(1, lines.size());
        assertTrue(!follow.isDone());
        get(engine.remove("ct-fol"));
        get(follow);
    }
}
