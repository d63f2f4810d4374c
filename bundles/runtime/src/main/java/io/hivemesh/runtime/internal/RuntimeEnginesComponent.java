package io.hivemesh.runtime.internal;

import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngines;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * DS shell over {@link EngineRegistry}: tracks every {@link RuntimeEngine} service (MULTIPLE,
 * DYNAMIC, GREEDY) with its {@code service.ranking}; config PID {@value #PID}.
 */
@Component(service = RuntimeEngines.class, configurationPid = RuntimeEnginesComponent.PID)
@Designate(ocd = RuntimeEnginesComponent.Config.class)
public final class RuntimeEnginesComponent implements RuntimeEngines {
    public static final String PID = "io.hivemesh.runtime";

    @ObjectClassDefinition(name = "Hivemesh runtime engine selection",
            description = "Which runtime engine runs workloads when none is named.")
    public @interface Config {
        @AttributeDefinition(name = "Preferred engine", required = false,
                description = "Engine name used when it is available (podman, docker, mock); else the best-ranked available engine.")
        String preferredEngine() default "podman";

        @AttributeDefinition(name = "Probe timeout (ms)", description = "How long an engine may take to say whether it is available.")
        int probeTimeoutMillis() default 5000;
    }

    private final EngineRegistry registry;

    @Activate
    public RuntimeEnginesComponent(Config config) {
        registry = new EngineRegistry(config.preferredEngine(), Duration.ofMillis(Math.max(100, config.probeTimeoutMillis())));
    }

    @Modified
    void modified(Config config) {
        registry.setPreferred(config.preferredEngine());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEngine(RuntimeEngine engine, Map<String, Object> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        registry.add(engine, ranking instanceof Integer r ? r : 0, id instanceof Long l ? l : Long.MAX_VALUE);
    }

    void unbindEngine(RuntimeEngine engine) {
        registry.remove(engine);
    }

    @Override
    public List<RuntimeEngine> engines() {
        return registry.engines();
    }

    @Override
    public Optional<RuntimeEngine> engine(String name) {
        return registry.engine(name);
    }

    @Override
    public CompletableFuture<RuntimeEngine> select(Optional<String> name) {
        return registry.select(name);
    }

    @Override
    public CompletableFuture<Optional<RuntimeEngine>> locate(String workloadId) {
        return registry.locate(workloadId);
    }
}
