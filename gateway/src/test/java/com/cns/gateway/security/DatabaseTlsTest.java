package com.cns.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.support.MediaProbe;
import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.TestDatabase;
import com.cns.xprotect.simulator.SimulatorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code DATABASE_URL?sslmode=require}: the test PostgreSQL is given a certificate and {@code ssl=on}
 * for the length of the test, and every connection the gateway holds to its database (the migration's
 * JDBC one is gone by then; the pool's and the event listener's remain) is encrypted.
 */
class DatabaseTlsTest {

    @Test
    void theGatewaysDatabaseConnectionsAreEncryptedWhenTheUrlAsksForIt() throws Exception {
        // It writes the certificate into the server's data directory: only the PostgreSQL the tests start.
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("TEST_PG_URL") == null
                || System.getenv("TEST_PG_URL").isBlank(), "TEST_PG_URL names a server this test must not reconfigure");
        String url = TestDatabase.newDatabaseUrl();
        java.net.URI u = java.net.URI.create(url);
        String admin = "jdbc:postgresql://" + u.getHost() + ":" + u.getPort() + "/postgres";
        try (Connection c = DriverManager.getConnection(admin, "postgres", "")) {
            Path data = Path.of(one(c, "SHOW data_directory"));
            Path cert = data.resolve("server.crt");
            Path key = data.resolve("server.key");
            MediaProbe.Run made = MediaProbe.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost");
            assertEquals(0, made.exit(), made.err());
            MediaProbe.run("chown", "postgres:postgres", cert.toString(), key.toString());
            Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            c.createStatement().execute("ALTER SYSTEM SET ssl = on");
            c.createStatement().execute("SELECT pg_reload_conf()");
            try (GatewayHarness gw = new GatewayHarness(SimulatorOptions.defaults(),
                    Map.of("DATABASE_URL", url + "?sslmode=require"))) {
                assertEquals(200, gw.http.get("/api/v1/cameras").status());
                String db = u.getPath().substring(1);
                try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(*) FILTER (WHERE s.ssl) "
                        + "FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid WHERE a.datname = '" + db + "'")) {
                    rs.next();
                    assertTrue(rs.getInt(1) > 0, "the gateway holds connections to its database");
                    assertEquals(rs.getInt(1), rs.getInt(2), "every one of them encrypted");
                }
            } finally {
                c.createStatement().execute("ALTER SYSTEM RESET ssl");
                c.createStatement().execute("SELECT pg_reload_conf()");
            }
        }
    }

    private static String one(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
