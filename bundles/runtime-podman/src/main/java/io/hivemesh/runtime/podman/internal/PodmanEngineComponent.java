package io.hivemesh.runtime.podman.internal;

import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.runtime.spi.EngineThreads;
import io.hivemesh.runtime.spi.ForwardingRuntimeEngine;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * DS shell over {@link PodmanEngine} (config PID {@value #PID}); a config change re-activates it.
 * Owns the executor of the blocking podman calls and shuts it down, with its log followers, when
 * deactivated. Workloads keep running across deactivation: they live in podman, found by label.
 */
@Component(service = RuntimeEngine.class, configurationPid = PodmanEngineComponent.PID,
        property = {"service.ranking:Integer=100", "hivemesh.runtime.engine=podman"})
@Designate(ocd = PodmanEngineComponent.Config.class)
public final class PodmanEngineComponent extends ForwardingRuntimeEngine {
    public static final String PID = "io.hivemesh.runtime.podman";

    @ObjectClassDefinition(name = "Hivemesh podman runtime engine",
            description = "Runs workloads with podman kube play, locally or through a podman service socket.")
    public @interface Config {
        @AttributeDefinition(name = "podman binary", description = "Path or name of the podman executable.")
        String binary() default "podman";

        @AttributeDefinition(name = "Service URL", required = false,
                description = "Empty: podman works locally. Else a podman service socket, e.g. unix:///run/podman/podman.sock (passed as --url).")
        String url() default "";

        @AttributeDefinition(name = "Command timeout (s)", description = "Longest a single podman call may take.")
        int commandTimeoutSeconds() default 120;

        @AttributeDefinition(name = "Parallel calls", description = "Most podman calls run at once.")
        int parallelCalls() default 4;
    }

    private final ThreadPoolExecutor executor;
    private final PodmanEngine engine;

    @Activate
    public PodmanEngineComponent(Config config) {
        executor = executor("hivemesh-podman", Math.max(1, config.parallelCalls()));
        engine = new PodmanEngine(new PodmanCli(config.binary(), config.url(),
                Duration.ofSeconds(Math.max(1, config.commandTimeoutSeconds()))), executor);
    }

    static ThreadPoolExecutor executor(String name, int threads) {
        return EngineThreads.pool(name, threads);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        engine.close();
        ExecutorService pool = executor;
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    protected RuntimeEngine delegate() {
        return engine;
    }
}
