package com.cns.gateway.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cluster drives {@code scripts/cluster.sh}: the stand-alone simulator, one PostgreSQL, N gateway
 * instances and nginx with {@code deploy/nginx/cns-gateway.conf}, every process of its own, on
 * loopback ports picked free. The instances run from the test classpath, so no jar needs building.
 */
public final class Cluster implements AutoCloseable {
    private final Path script;
    private final Map<String, String> env;
    public final Path dir;
    public final int gateways;
    /** Signed in as admin through nginx. */
    public final Http nginx;
    /** The simulator's own control API ({@code /simulator/*}). */
    public final Http simulator;
    private final List<Http> instances = new ArrayList<>();
    private final String adminPassword;

    private Cluster(Path script, Path dir, int gateways, Map<String, String> env) throws Exception {
        this.script = script;
        this.dir = dir;
        this.gateways = gateways;
        this.env = env;
        run("start");
        Properties state = state();
        adminPassword = Files.readString(dir.resolve("admin-password"), StandardCharsets.UTF_8).strip();
        nginx = new Http(state.getProperty("NGINX_URL")).signIn("admin", adminPassword);
        simulator = new Http(state.getProperty("SIMULATOR_URL"));
        for (int i = 1; i <= gateways; i++) {
            instances.add(nginx.at(state.getProperty("GATEWAY_" + i + "_URL")));
        }
    }

    /**
     * Starts a cluster of {@code gateways} instances in a new directory under {@code parent} (which the
     * postgres user must be able to search); {@code env} goes to the script and so to every instance.
     */
    public static Cluster start(Path parent, int gateways, Map<String, String> env) throws Exception {
        return start(parent, gateways, env, System.getProperty("java.class.path"));
    }

    /** As above, the instances and the simulator run from {@code classpath} (a benchmark under exec:java). */
    public static Cluster start(Path parent, int gateways, Map<String, String> env, String classpath) throws Exception {
        Path dir = Files.createTempDirectory(parent, "cluster-");
        dir.toFile().setExecutable(true, false);
        dir.toFile().setReadable(true, false);
        Map<String, String> all = new HashMap<>(env);
        all.put("CLUSTER_DIR", dir.toString());
        all.put("CLUSTER_GATEWAYS", String.valueOf(gateways));
        all.put("CLUSTER_PORT", String.valueOf(freePortBlock()));
        all.put("CLUSTER_CLASSPATH", classpath);
        all.putIfAbsent("AUTH_ADMIN_PASSWORD", GatewayHarness.ADMIN_PASSWORD);
        return new Cluster(findScript(), dir, gateways, all);
    }

    /** Instance {@code i} (from 1), signed in as admin, by its own port. */
    public Http gateway(int i) {
        return instances.get(i - 1);
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** SIGKILL to instance {@code i}: nothing of it runs on. */
    public void killGateway(int i) throws Exception {
        run("kill-gateway", String.valueOf(i));
    }

    /** Starts instance {@code i} again and waits until it is ready. */
    public void startGateway(int i) throws Exception {
        run("start-gateway", String.valueOf(i));
    }

    /** Stops PostgreSQL (fast shutdown: every connection is cut), waits {@code secondsDown}, starts it again. */
    public void restartPostgres(int secondsDown) throws Exception {
        run("restart-postgres", String.valueOf(secondsDown));
    }

    /** The process id of instance {@code i}, or -1 when it is not running. */
    public long gatewayPid(int i) throws IOException {
        Path pid = dir.resolve("gateway-" + i + ".pid");
        return Files.exists(pid) ? Long.parseLong(Files.readString(pid).strip()) : -1;
    }

    /** Every line nginx logged for a request, in order. */
    public List<String> nginxAccessLog() throws IOException {
        Path log = dir.resolve("nginx").resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private Properties state() throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve("cluster.env"))) {
            p.load(in);
        }
        return p;
    }

    private void run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MILESTONE_") || k.startsWith("DATABASE_")
                || k.startsWith("AUTH_") || k.equals("DATA_DIR") || k.startsWith("HTTP_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("scripts/cluster.sh " + String.join(" ", args) + " failed:\n" + out);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            run("stop");
        } finally {
            // Kept beside the test reports, where scripts/check-logs.sh reads every log for secrets.
            Path kept = Path.of("target", "test-logs");
            Files.createDirectories(kept);
            for (String nginxLog : List.of("access.log", "error.log")) {
                Path log = dir.resolve("nginx").resolve(nginxLog);
                if (Files.exists(log)) {
                    Files.copy(log, kept.resolve(dir.getFileName() + "-nginx-" + nginxLog), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try (var logs = Files.list(dir)) {
                for (Path log : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
                    Files.copy(log, kept.resolve(dir.getFileName() + "-" + log.getFileName()),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try (var all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Path findScript() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("scripts").resolve("cluster.sh");
            if (Files.exists(s)) {
                return s;
            }
        }
        throw new IllegalStateException("scripts/cluster.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** A base port p such that p … p + 40 are free now (nginx, instances, simulator, PostgreSQL). */
    private static int freePortBlock() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20000 + 50 * ThreadLocalRandom.current().nextInt(600);
            if (free(base, base + 40)) {
                return base;
            }
        }
        throw new IOException("no free block of ports");
    }

    private static boolean free(int from, int to) {
        for (int port = from; port <= to; port++) {
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
