package com.cns.gateway.testsupport;

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
 * GatewayHarness runs a real gateway in process against the XProtect simulator on loopback and a
 * fresh database of the test PostgreSQL, as the composition root would from environment variables.
 */
public final class GatewayHarness implements AutoCloseable {
    /** The password of the first admin of every harness gateway ({@code AUTH_ADMIN_PASSWORD}). */
    public static final String ADMIN_PASSWORD = "harness-admin-password";
    /** The password of the users {@link #as} creates. */
    public static final String USER_PASSWORD = "harness-user-password";
    public final Vertx simulatorVertx = Vertx.vertx();
    public final XProtectSimulator simulator;
    private final GatewayLauncher.Running app;
    /** The gateway's HTTP client, signed in as the first admin. */
    public final Http http;
    public final Path dataDir;
    /** The JDBC URL of this gateway's database, for tests that arrange rows directly. */
    public final String jdbcUrl;
    /** This gateway's {@code DATABASE_URL}, for a second instance on the same database. */
    public final String databaseUrl;

    public GatewayHarness(SimulatorOptions options, Map<String, String> extraEnv) throws Exception {
        this(options, extraEnv, Clock.systemUTC());
    }

    /** A gateway and simulator sharing {@code clock}, so a test moves time for both. */
    public GatewayHarness(SimulatorOptions options, Map<String, String> extraEnv, Clock clock) throws Exception {
        this(options, extraEnv, clock, true);
    }

    /** A gateway whose users are not its own (AUTH_MODE=oidc): {@link #http} sends no token. */
    public static GatewayHarness withoutSignIn(SimulatorOptions options, Map<String, String> extraEnv) throws Exception {
        return new GatewayHarness(options, extraEnv, Clock.systemUTC(), false);
    }

    private GatewayHarness(SimulatorOptions options, Map<String, String> extraEnv, Clock clock, boolean signIn)
            throws Exception {
        simulator = new XProtectSimulator(simulatorVertx, options, clock);
        String simUrl = simulator.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        dataDir = Files.createTempDirectory("cns-gw");
        Map<String, String> env = new HashMap<>();
        env.put("HTTP_PORT", "0");
        env.put("HTTP_HOST", "127.0.0.1");
        env.put("DATA_DIR", dataDir.toString());
        env.put("DATABASE_URL", TestDatabase.newDatabaseUrl());
        env.put("MILESTONE_BASE_URL", simUrl);
        env.put("MILESTONE_USERNAME", options.username());
        env.put("MILESTONE_PASSWORD", options.password());
        env.put("MILESTONE_RETRY_DELAY", "10ms");
        env.put("MILESTONE_CIRCUIT_OPEN_DURATION", "300ms");
        env.put("MILESTONE_REQUEST_TIMEOUT", "3s");
        env.put("AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.putAll(extraEnv);
        databaseUrl = env.get("DATABASE_URL");
        jdbcUrl = jdbcUrl(databaseUrl);
        app = GatewayLauncher.find().start(env, clock);
        Http anonymous = new Http("http://127.0.0.1:" + app.port());
        http = signIn ? anonymous.signIn("admin", env.get("AUTH_ADMIN_PASSWORD")) : anonymous;
    }

    public GatewayHarness() throws Exception {
        this(SimulatorOptions.defaults(), Map.of());
    }

    /**
     * A client signed in as a new user of {@code role} whose cameras are {@code cameras} ({@code "*"},
     * sources, camera ids), created by the harness's admin.
     */
    public Http as(String username, String role, String... cameras) throws Exception {
        io.vertx.core.json.JsonObject user = new io.vertx.core.json.JsonObject().put("username", username)
                .put("password", USER_PASSWORD).put("role", role)
                .put("cameras", new io.vertx.core.json.JsonArray(java.util.List.of(cameras)));
        Http.Answer a = http.post("/api/v1/users", user.encode());
        if (a.status() != 201) {
            throw new AssertionError("creating user " + username + " answered " + a.status() + ": " + a.body());
        }
        return http.anonymous().signIn(username, USER_PASSWORD);
    }

    /** Every route the gateway declared, with the role it needs. */
    public java.util.List<GatewayLauncher.RouteInfo> routes() {
        return app.routes();
    }

    /** The port {@code /metrics} is served on by itself ({@code METRICS_PORT}), empty when it shares the API's. */
    public java.util.OptionalInt metricsPort() {
        return app.metricsPort();
    }

    /** The JDBC form of a {@code postgresql://user@host:port/db} URL; the user is given apart. */
    static String jdbcUrl(String databaseUrl) {
        java.net.URI u = java.net.URI.create(databaseUrl);
        return "jdbc:postgresql://" + u.getHost() + ":" + u.getPort() + u.getPath();
    }

    @Override
    public void close() throws Exception {
        app.close();
        simulator.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        simulatorVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        TestDatabase.deleteTree(dataDir);
    }
}
