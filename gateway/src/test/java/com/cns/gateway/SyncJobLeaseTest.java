package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.config.ConfigLoader;
import com.cns.gateway.testsupport.Await;
import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.xprotect.simulator.SimulatorOptions;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Sync jobs have an owner and a lease: an instance starting up fails only the jobs whose lease ran out
 * (their instance died), never another instance's job that is still running, however long it has run.
 */
class SyncJobLeaseTest {

    private static UUID insert(Connection c, String owner, String startedAgo, String leaseFromNow) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery("INSERT INTO milestone_sync_history (sync_type, "
                + "auto_import, started_at, status, initiated_by, owner_instance, lease_until) VALUES ('full_sync', "
                + "false, now() - interval '" + startedAgo + "', 'in_progress', 'admin', '" + owner + "', now() + "
                + "interval '" + leaseFromNow + "') RETURNING id")) {
            rs.next();
            return rs.getObject(1, UUID.class);
        }
    }

    @Test
    void aStartingInstanceFailsOnlyJobsWhoseLeaseRanOut() throws Exception {
        try (GatewayHarness a = new GatewayHarness(SimulatorOptions.defaults(), Map.of("INSTANCE_ID", "gw-a"))) {
            JsonObject job = a.http.post("/api/v1/milestone/sync-all", "{}").json();
            String own = job.getString("syncJobId");
            Await.until("the job ends", Duration.ofSeconds(20), () -> !"in_progress".equals(
                    a.http.get("/api/v1/milestone/sync-jobs/" + own).json().getString("status")));
            UUID live;
            UUID dead;
            try (Connection c = DriverManager.getConnection(a.jdbcUrl, "postgres", "")) {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT owner_instance FROM milestone_sync_history "
                        + "WHERE id = '" + own.substring("sync_".length()) + "'")) {
                    rs.next();
                    assertEquals("gw-a", rs.getString(1), "a job belongs to the instance that runs it");
                }
                live = insert(c, "gw-busy", "20 minutes", "5 minutes");
                dead = insert(c, "gw-dead", "1 minute", "-1 minute");
            }
            GatewayApp b = new GatewayApp(ConfigLoader.load(Map.of("HTTP_PORT", "0", "HTTP_HOST", "127.0.0.1",
                    "DATABASE_URL", a.databaseUrl, "MILESTONE_BASE_URL", a.simulator.baseUrl(),
                    "MILESTONE_USERNAME", "admin", "MILESTONE_PASSWORD", "admin", "INSTANCE_ID", "gw-b")),
                    Clock.systemUTC());
            try {
                b.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                Await.until("the dead owner's job fails", Duration.ofSeconds(10), () -> "failed".equals(
                        a.http.get("/api/v1/milestone/sync-jobs/sync_" + dead).json().getString("status")));
                JsonObject failed = a.http.get("/api/v1/milestone/sync-jobs/sync_" + dead).json();
                assertTrue(failed.getJsonArray("errorDetails").encode().contains("gw-dead"), failed.encode());
                assertEquals("in_progress", a.http.get("/api/v1/milestone/sync-jobs/sync_" + live).json()
                        .getString("status"), "a running job of a live instance is left alone, 20 minutes in");
            } finally {
                b.close();
            }
        }
    }
}
