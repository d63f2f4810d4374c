package io.hivemesh.runtime.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@code podman system service} the test starts itself on a socket in a temp directory: the libpod
 * REST API and the Docker-compatible API. Stop it to make "the runtime socket gone" real.
 */
public final class PodmanService implements AutoCloseable {
    private final Path socket;
    private Process process;

    public PodmanService(Path dir) {
        this.socket = dir.resolve("podman.sock");
    }

    public Path socket() {
        return socket;
    }

    public String url() {
        return "unix://" + socket;
    }

    /** Starts the service and waits (bounded, 20 s) until the socket exists. */
    public PodmanService start() throws IOException, InterruptedException {
        Files.deleteIfExists(socket);
        process = new ProcessBuilder("podman", "system", "service", "--time=0", url())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(socket)) {
            if (!process.isAlive()) {
                throw new IOException("podman system service exited with " + process.exitValue());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("podman system service did not create " + socket + " within 20 s");
            }
            Thread.sleep(50);
        }
        return this;
    }

    /** Kills the service; the socket goes with it. */
    public void stop() throws InterruptedException, IOException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
        Files.deleteIfExists(socket);
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
