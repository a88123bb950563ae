package com.cns.gateway.bench;

import com.cns.gateway.GatewayApp;
import com.cns.gateway.config.ConfigLoader;
import com.cns.gateway.embedded.EmbeddedPostgres;
import com.cns.xprotect.simulator.SimulatorOptions;
import com.cns.xprotect.simulator.XProtectSimulator;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * BenchEnvironment runs what a benchmark measures: a gateway on a throwaway PostgreSQL, against the
 * XProtect simulator in its own Vert.x, with a one-way latency on the recorders like a LAN's.
 */
final class BenchEnvironment implements AutoCloseable {
    final Vertx simVertx = Vertx.vertx();
    final XProtectSimulator simulator;
    final EmbeddedPostgres postgres;
    final GatewayApp gateway;
    final int port;
    private final Path dir;

    BenchEnvironment(int cameras, long recorderLatencyMs, Map<String, String> extraEnv) throws Exception {
        this(cameras, 0, recorderLatencyMs, extraEnv);
    }

    /** As above, the last {@code hdCameras} of the cameras recording the simulator's 1920×1080 profile. */
    BenchEnvironment(int cameras, int hdCameras, long recorderLatencyMs, Map<String, String> extraEnv)
            throws Exception {
        dir = Files.createTempDirectory("cns-bench");
        postgres = EmbeddedPostgres.start(dir.resolve("pg"), false);
        postgres.createDatabase("bench");
        simulator = new XProtectSimulator(simVertx, SimulatorOptions.defaults().withCameras(cameras, 4)
                .withHdCameras(hdCameras));
        String url = simulator.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        simulator.faults().latency("/RecorderCommandService", recorderLatencyMs * 2);
        simulator.imageServerLatency(recorderLatencyMs);
        Map<String, String> env = new HashMap<>(Map.of("HTTP_PORT", "0", "HTTP_HOST", "127.0.0.1",
                "DATABASE_URL", "postgresql://postgres@127.0.0.1:" + postgres.port() + "/bench",
                "MILESTONE_BASE_URL", url, "MILESTONE_USERNAME", "admin", "MILESTONE_PASSWORD", "admin",
                "DATA_DIR", dir.toString(), "AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "AUTH_REQUESTS_PER_MINUTE", "10000000", "AUTH_ACCESS_TOKEN_TTL", "24h"));
        env.putAll(extraEnv);
        gateway = new GatewayApp(ConfigLoader.load(env), Clock.systemUTC());
        port = gateway.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        token = signIn(port);
    }

    /** The admin's bearer token on the running gateway: every benchmark request carries it, as a dashboard's would. */
    static volatile String token;
    private static final String ADMIN_PASSWORD = "bench-admin-password";

    private static String signIn(int port) throws Exception {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/auth/login"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("sign-in answered " + r.statusCode() + ": " + r.body());
        }
        return new io.vertx.core.json.JsonObject(r.body()).getString("accessToken");
    }

    /** A request to the gateway, signed in. */
    static java.net.http.HttpRequest.Builder request(String url) {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    @Override
    public void close() throws Exception {
        gateway.close();
        simulator.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        simVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        postgres.close();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
