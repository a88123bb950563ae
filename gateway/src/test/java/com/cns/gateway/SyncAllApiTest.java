package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.xprotect.simulator.SimulatedSite;
import com.cns.xprotect.simulator.SimulatorOptions;
import io.vertx.core.json.JsonObject;
import java.sql.DriverManager;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bulk sync through HTTP: background job, progress, history row, auto-import with a source filter. */
class SyncAllApiTest {
    private static GatewayHarness gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness(SimulatorOptions.defaults().withCameras(140, 4), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    static JsonObject waitForJob(String jobId) throws Exception {
        for (int i = 0; i < 200; i++) {
            JsonObject j = gw.http.get("/api/v1/milestone/sync-jobs/" + jobId).json();
            if (!"in_progress".equals(j.getString("status"))) {
                return j;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("sync job " + jobId + " did not finish");
    }

    @Test
    void autoImportWithSourceFilterImportsEveryCameraUnderThatSourceAndRecordsHistory() throws Exception {
        long enabled = gw.simulator.site().cameras().stream().filter(SimulatedSite.Camera::enabled).count();
        Http.Answer a = gw.http.post("/api/v1/milestone/sync-all", "{\"sourceFilter\":\"METRO\",\"autoImport\":true}");
        assertEquals(202, a.status(), a.body());
        String jobId = a.json().getString("syncJobId");
        assertTrue(jobId.matches("sync_[0-9a-f-]{36}"), jobId);
        assertEquals("in_progress", a.json().getString("status"));
        assertEquals("Camera synchronization started", a.json().getString("message"));

        JsonObject job = waitForJob(jobId);
        assertEquals("completed", job.getString("status"), job.encode());
        assertEquals(enabled, job.getLong("camerasDiscovered"));
        assertEquals(enabled, job.getLong("camerasImported"));
        assertEquals(100.0, job.getJsonObject("progress").getDouble("percent"));
        assertNotNull(job.getString("completedAt"));

        JsonObject metro = gw.http.get("/api/v1/cameras?source=METRO&limit=1").json();
        assertEquals(enabled, metro.getLong("total"));
        JsonObject discovery = gw.http.get("/api/v1/milestone/cameras?limit=1").json();
        assertEquals(enabled, discovery.getLong("imported"));

        try (var c = DriverManager.getConnection(gw.jdbcUrl, "postgres", "")) {
            var rs = c.createStatement().executeQuery("SELECT sync_type, status, cameras_imported, source_filter "
                    + "FROM milestone_sync_history WHERE id = '" + jobId.substring(5) + "'");
            assertTrue(rs.next());
            assertEquals("full_sync", rs.getString(1));
            assertEquals("completed", rs.getString(2));
            assertEquals(enabled, rs.getLong(3));
            assertEquals("METRO", rs.getString(4));
        }

        // A second sync without autoImport refreshes what is imported and imports nothing new.
        gw.simulator.site().rename(gw.simulator.site().cameras().get(0).id(), "Camera 01 - Renamed");
        JsonObject refresh = waitForJob(gw.http.post("/api/v1/milestone/sync-all", null).json().getString("syncJobId"));
        assertEquals(0L, refresh.getLong("camerasImported"));
        assertEquals(enabled, refresh.getLong("camerasUpdated"));
        assertEquals("camera_discovery", refresh.getString("syncType"));
        JsonObject renamed = gw.http.get("/api/v1/cameras?limit=1").json().getJsonArray("cameras").getJsonObject(0);
        assertEquals("Camera 01 - Renamed", renamed.getString("name"));
    }

    @Test
    void jobIdsAreValidated() throws Exception {
        assertEquals(400, gw.http.get("/api/v1/milestone/sync-jobs/abc").status());
        assertEquals(404, gw.http.get("/api/v1/milestone/sync-jobs/sync_0b0e0e0e-0000-4000-8000-000000000000").status());
    }
}
