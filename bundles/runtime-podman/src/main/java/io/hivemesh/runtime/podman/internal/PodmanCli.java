package io.hivemesh.runtime.podman.internal;

import io.hivemesh.api.runtime.RuntimeEngineException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the podman CLI: {@code <binary> [--url <url>] args...}, locally or against a podman service
 * socket. Every call has a time limit; output is capped so a runaway command cannot exhaust memory.
 * Thread-safe (every call is its own process).
 */
public final class PodmanCli {
    /** Cap on captured stdout/stderr per call. */
    static final int MAX_OUTPUT = 16 << 20;

    /** What a finished command returned. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** stderr without podman's harmless syslog complaint, trimmed; stdout if stderr is empty. */
        public String error() {
            String err = stderr.lines().filter(l -> !l.startsWith("failed to connect to syslog")
                            && !l.startsWith("Cannot connect to Podman. Please verify"))
                    .collect(java.util.stream.Collectors.joining("\n")).strip();
            return err.isEmpty() ? stdout.strip() : err;
        }
    }

    private final String binary;
    private final String url;
    private final Duration timeout;

    public PodmanCli(String binary, String url, Duration timeout) {
        this.binary = binary;
        this.url = url == null ? "" : url.trim();
        this.timeout = timeout;
    }

    /** The command line prefix: binary and, for a service socket, {@code --url}. */
    public List<String> prefix() {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary);
        if (!url.isEmpty()) {
            cmd.add("--url");
            cmd.add(url);
        }
        return cmd;
    }

    /** Where this CLI talks to: the socket URL, or {@code local}. */
    public String target() {
        return url.isEmpty() ? "local" : url;
    }

    /** Runs {@code podman args}; throws {@link RuntimeEngineException} if it cannot start or exceeds the time limit. */
    public Result run(List<String> args) {
        List<String> cmd = prefix();
        cmd.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new RuntimeEngineException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new RuntimeEngineException("podman " + String.join(" ", args) + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RuntimeEngineException("interrupted while running podman " + args.get(0), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new RuntimeEngineException("cannot read the output of podman " + args.get(0) + ": " + e, e);
        }
    }

    /** Runs {@code podman args} and returns stdout; a non-zero exit becomes a {@link RuntimeEngineException} with podman's message. */
    public String check(String what, List<String> args) {
        Result r = run(args);
        if (r.exitCode() != 0) {
            throw new RuntimeEngineException(what + " failed (podman exit " + r.exitCode() + "): " + r.error());
        }
        return r.stdout();
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                byte[] chunk = new byte[8192];
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    if (buf.size() + n <= MAX_OUTPUT) {
                        buf.write(chunk, 0, n);
                    }
                }
                result.complete(buf.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }, "podman-output");
        t.setDaemon(true);
        t.start();
        return result;
    }
}
