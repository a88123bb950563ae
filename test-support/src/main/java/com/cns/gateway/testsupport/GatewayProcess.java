package com.cns.gateway.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * GatewayProcess runs the gateway's {@code Main} as a separate JVM on the test classpath, with only
 * the environment the test gives it, so that a test can kill it with SIGKILL and start it again.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final java.util.regex.Pattern LISTENING =
            java.util.regex.Pattern.compile("listening on http://[^:]+:(\\d+)");
    private final Process process;
    private final long logStart;
    public final Path log;
    /** The gateway's HTTP client, once {@link #awaitReady} has read its port from the log. */
    public Http http;

    private GatewayProcess(Process process, Path log, long logStart) {
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /**
     * Starts the gateway; it listens on a port it picks itself (HTTP_PORT 0) unless {@code env} names one,
     * since a port chosen here could be taken by the gateway's own simulator before its HTTP server binds.
     */
    public static GatewayProcess start(Map<String, String> env, Path log) throws IOException {
        String port = env.getOrDefault("HTTP_PORT", "0");
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "com.cns.gateway.Main"));
        pb.environment().keySet().removeIf(k -> k.startsWith("MILESTONE_") || k.startsWith("DATABASE_")
                || k.equals("DATA_DIR") || k.startsWith("HTTP_"));
        pb.environment().putAll(env);
        pb.environment().put("HTTP_PORT", port);
        pb.environment().putIfAbsent("HTTP_HOST", "127.0.0.1");
        pb.environment().putIfAbsent("AUTH_ADMIN_PASSWORD", GatewayHarness.ADMIN_PASSWORD);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new GatewayProcess(pb.start(), log, logStart);
    }

    /** Waits until {@code /health/ready} answers 200, or fails with the process's log. */
    public GatewayProcess awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("gateway exited with " + process.exitValue() + ":\n" + logText());
            }
            if (http == null) {
                java.util.regex.Matcher m = LISTENING.matcher(logText().substring((int) logStart));
                if (m.find()) {
                    http = new Http("http://127.0.0.1:" + m.group(1));
                }
            } else {
                try {
                    if (http.get("/health/ready").status() == 200) {
                        // The first start made the admin with AUTH_ADMIN_PASSWORD; later ones keep it.
                        http = http.signIn("admin", GatewayHarness.ADMIN_PASSWORD);
                        return this;
                    }
                } catch (IOException notYet) {
                    // not answering yet
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("gateway not ready in " + timeout + ":\n" + logText());
    }

    public String logText() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL: no shutdown hook runs, so the embedded PostgreSQL is left running as after a crash. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait: the shutdown hook stops everything cleanly. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.exitValue();
    }

    public int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("process still running");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
        // Kept beside the test reports, where scripts/check-logs.sh reads every log for secrets.
        try {
            Path kept = Path.of("target", "test-logs");
            Files.createDirectories(kept);
            Files.copy(log, kept.resolve(log.getFileName() + "-" + process.pid() + ".log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.err.println("GatewayProcess: log not kept: " + e.getMessage());
        }
    }
}
