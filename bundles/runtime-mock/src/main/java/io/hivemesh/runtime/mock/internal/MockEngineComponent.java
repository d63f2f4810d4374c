package io.hivemesh.runtime.mock.internal;

import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.runtime.spi.ForwardingRuntimeEngine;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.LoggerFactory;

/** DS shell over {@link MockEngine} (config PID {@value #PID}); lowest ranking, so never chosen over a real engine unless asked. */
@Component(service = RuntimeEngine.class, configurationPid = MockEngineComponent.PID,
        property = {"service.ranking:Integer=-100", "hivemesh.runtime.engine=mock"})
@Designate(ocd = MockEngineComponent.Config.class)
public final class MockEngineComponent extends ForwardingRuntimeEngine {
    public static final String PID = "io.hivemesh.runtime.mock";

    @ObjectClassDefinition(name = "Hivemesh mock runtime engine",
            description = "Records workloads in memory and runs nothing (for tests).")
    public @interface Config {
        @AttributeDefinition(name = "Delay (ms)", description = "Delay of every call.")
        int delayMillis() default 0;

        @AttributeDefinition(name = "Failure rate", description = "Share of deploys that fail (0..1), from a seeded sequence.")
        double failureRate() default 0.0;

        @AttributeDefinition(name = "Seed", description = "Seed of the failure sequence (same seed, same failures).")
        long seed() default 1;
    }

    private final MockEngine engine;

    @Activate
    public MockEngineComponent(Config config) {
        engine = new MockEngine(Duration.ofMillis(Math.max(0, config.delayMillis())), config.failureRate(), config.seed());
        LoggerFactory.getLogger(MockEngineComponent.class)
                .info("Mock runtime engine active: it records workloads in memory and runs nothing");
    }

    @Override
    protected RuntimeEngine delegate() {
        return engine;
    }
}
