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
    public final Vertx simulatorVertx = Vertx.vertx();
    public final XProtectSimulator simulator;
    private final GatewayLauncher.Running app;
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
        env.putAll(extraEnv);
        databaseUrl = env.get("DATABASE_URL");
        jdbcUrl = jdbcUrl(databaseUrl);
        app = GatewayLauncher.find().start(env, clock);
        http = new Http("http://127.0.0.1:" + app.port());
    }

    public GatewayHarness() throws Exception {
        this(SimulatorOptions.defaults(), Map.of());
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
