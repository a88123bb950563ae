package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.Await;
import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.xprotect.simulator.SimulatedSite;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A camera's status tells the same truth whichever sync set it: a camera disabled in XProtect is
 * OFFLINE after a per-camera sync and after sync-all alike; one XProtect no longer has is ERROR.
 */
class CameraStatusSyncTest {
    private static GatewayHarness gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static String importDevice(String deviceId) throws Exception {
        Http.Answer a = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + deviceId + "\"}");
        assertEquals(201, a.status(), a.body());
        return a.json().getString("id");
    }

    private static String status(String id) throws Exception {
        return gw.http.get("/api/v1/cameras/" + id).json().getString("status");
    }

    @Test
    void aDisabledCameraIsOfflineAfterEitherSyncAndAVanishedOneIsError() throws Exception {
        SimulatedSite.Camera disabled = gw.simulator.site().cameras().stream().filter(c -> !c.enabled()).findFirst()
                .orElseThrow();
        String off = importDevice(disabled.id());
        assertEquals("OFFLINE", status(off), "imported disabled");
        assertEquals("OFFLINE", gw.http.put("/api/v1/cameras/" + off + "/sync", null).json().getString("status"));

        String gone = importDevice(gw.simulator.site().cameras().get(0).id());
        try (var c = java.sql.DriverManager.getConnection(gw.jdbcUrl, "postgres", "")) {
            c.createStatement().execute("UPDATE cameras SET milestone_device_id = 'deadbeef-0000-4000-8000-000000000000'"
                    + " WHERE id = '" + gone + "'");
        }
        JsonObject job = gw.http.post("/api/v1/milestone/sync-all", "{}").json();
        String jobId = job.getString("syncJobId");
        Await.until("the sync job ends", Duration.ofSeconds(20), () -> !"in_progress".equals(
                gw.http.get("/api/v1/milestone/sync-jobs/" + jobId).json().getString("status")));
        JsonObject done = gw.http.get("/api/v1/milestone/sync-jobs/" + jobId).json();
        assertEquals("completed", done.getString("status"), done.encode());
        assertEquals("OFFLINE", status(off), "sync-all says OFFLINE for the disabled camera too");
        assertEquals("ERROR", status(gone));
        assertEquals(1, done.getInteger("errors"), done.encode());
        assertTrue(done.getJsonArray("errorDetails").getJsonObject(0).getString("error").contains("no longer has"));
    }
}
