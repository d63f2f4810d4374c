package io.hivemesh.runtime.docker.internal;

import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.runtime.spi.EngineThreads;
import io.hivemesh.runtime.spi.ForwardingRuntimeEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * DS shell over {@link DockerEngine} (config PID {@value #PID}); owns its executor and watchdog and
 * stops them, with the log followers, when deactivated. Workloads live in the daemon, found by label.
 */
@Component(service = RuntimeEngine.class, configurationPid = DockerEngineComponent.PID,
        property = {"service.ranking:Integer=50", "hivemesh.runtime.engine=docker"})
@Designate(ocd = DockerEngineComponent.Config.class)
public final class DockerEngineComponent extends ForwardingRuntimeEngine {
    public static final String PID = "io.hivemesh.runtime.docker";

    @ObjectClassDefinition(name = "Hivemesh Docker runtime engine",
            description = "Runs workloads through the Docker Engine API on a unix socket.")
    public @interface Config {
        @AttributeDefinition(name = "Socket", description = "Path of the Docker Engine API unix socket.")
        String socketPath() default "/var/run/docker.sock";

        @AttributeDefinition(name = "API version", description = "Docker Engine API version prefix of every path.")
        String apiVersion() default "v1.41";

        @AttributeDefinition(name = "Call timeout (s)", description = "Longest a single API call may take (image pulls included).")
        int callTimeoutSeconds() default 120;

        @AttributeDefinition(name = "Parallel calls", description = "Most API calls at once.")
        int parallelCalls() default 4;
    }

    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService watchdog;
    private final DockerEngine engine;

    @Activate
    public DockerEngineComponent(Config config) {
        executor = executor("hivemesh-docker", Math.max(1, config.parallelCalls()));
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hivemesh-docker-watchdog");
            t.setDaemon(true);
            return t;
        });
        engine = new DockerEngine(new UnixHttpClient(Path.of(config.socketPath()),
                Duration.ofSeconds(Math.max(1, config.callTimeoutSeconds())), watchdog), config.apiVersion(), executor);
    }

    static ThreadPoolExecutor executor(String name, int threads) {
        return EngineThreads.pool(name, threads);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        engine.close();
        executor.shutdownNow();
        watchdog.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    protected RuntimeEngine delegate() {
        return engine;
    }
}
