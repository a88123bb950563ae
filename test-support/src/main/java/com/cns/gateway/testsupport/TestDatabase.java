package com.cns.gateway.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * TestDatabase is the one PostgreSQL server of a test run: {@code TEST_PG_URL}
 * ({@code postgresql://user@host:port}) when set, otherwise a throwaway cluster of the machine's own
 * binaries started once per JVM and removed at exit. Each test gets a fresh database on it.
 */
public final class TestDatabase {
    private static String serverUrl;

    private TestDatabase() {
    }

    /** A {@code DATABASE_URL} of a new, empty database. */
    public static synchronized String newDatabaseUrl() throws Exception {
        if (serverUrl == null) {
            String external = System.getenv("TEST_PG_URL");
            serverUrl = external != null && !external.isBlank() ? external.replaceAll("/+$", "") : startLocal();
        }
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        var u = java.net.URI.create(serverUrl);
        String user = u.getUserInfo() == null ? "postgres" : u.getUserInfo().split(":")[0];
        String password = u.getUserInfo() != null && u.getUserInfo().contains(":") ? u.getUserInfo().split(":", 2)[1] : "";
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + u.getHost() + ":" + u.getPort()
                + "/postgres", user, password)) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        return serverUrl + "/" + name;
    }

    private static String startLocal() throws Exception {
        Path dir = Files.createTempDirectory("cns-test-pg");
        GatewayLauncher.Postgres pg = GatewayLauncher.find().startPostgres(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
                deleteTree(dir);
            } catch (Exception ignored) {
                // the JVM is exiting
            }
        }));
        return "postgresql://postgres@127.0.0.1:" + pg.port();
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
