package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.xprotect.simulator.SimulatedSite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Discovery and import through HTTP against the simulator and PostgreSQL (plan 8.1). */
class CameraDiscoveryApiTest {
    private static GatewayHarness gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static SimulatedSite.Camera simCamera(int index) {
        return gw.simulator.site().cameras().get(index);
    }

    private static JsonObject importCamera(String deviceId, String extra) throws Exception {
        Http.Answer a = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + deviceId + "\"" + extra + "}");
        assertEquals(201, a.status(), a.body());
        return a.json();
    }

    @Test
    void discoveryListsEnabledCamerasWithFiltersPagingAndImportedCounts() throws Exception {
        long enabled = gw.simulator.site().cameras().stream().filter(SimulatedSite.Camera::enabled).count();
        JsonObject all = gw.http.get("/api/v1/milestone/cameras").json();
        assertEquals(enabled, all.getLong("total"));
        JsonObject first = all.getJsonArray("cameras").getJsonObject(0);
        assertEquals(Set.of("id", "name", "enabled", "recording", "ptzEnabled", "recordingServer", "imported",
                "liveStreamUrl"), first.fieldNames());
        assertNull(first.getValue("liveStreamUrl"), "no RTSP base configured");

        JsonObject ptz = gw.http.get("/api/v1/milestone/cameras?ptz=true&recording=true").json();
        long expected = gw.simulator.site().cameras().stream()
                .filter(c -> c.enabled() && c.ptzEnabled() && c.recordingEnabled()).count();
        assertEquals(expected, ptz.getLong("total"));
        ptz.getJsonArray("cameras").forEach(o -> assertTrue(((JsonObject) o).getBoolean("ptzEnabled")));

        JsonObject page = gw.http.get("/api/v1/milestone/cameras?limit=3&offset=2").json();
        assertEquals(3, page.getJsonArray("cameras").size());
        assertEquals(all.getJsonArray("cameras").getJsonObject(2).getString("id"),
                page.getJsonArray("cameras").getJsonObject(0).getString("id"));

        JsonObject search = gw.http.get("/api/v1/milestone/cameras?search=LOBBY").json();
        assertEquals(1, search.getInteger("total"));
        assertTrue(search.getJsonArray("cameras").getJsonObject(0).getString("name").contains("Lobby"));
    }

    @Test
    void importAnswers201WithTheContractKeysThen409AndTheListMarksItImported() throws Exception {
        SimulatedSite.Camera sim = simCamera(3);
        JsonObject cam = importCamera(sim.id(), ",\"source\":\"DUBAI_POLICE\",\"nameAr\":\"كاميرا\","
                + "\"location\":{\"latitude\":25.2048,\"longitude\":55.2708,\"address\":\"Sheikh Zayed Road\"},"
                + "\"unknownField\":42");
        assertEquals(Set.of("id", "name", "milestone_device_id", "rtsp_url", "ptz_enabled", "status", "created_at",
                "nameAr", "source", "location"), cam.fieldNames());
        assertEquals(sim.name(), cam.getString("name"));
        assertEquals(sim.id(), cam.getString("milestone_device_id"));
        assertEquals(sim.ptzEnabled(), cam.getBoolean("ptz_enabled"));
        assertEquals("ONLINE", cam.getString("status"), "its recording server accepts connections");
        assertEquals("DUBAI_POLICE", cam.getString("source"));
        assertEquals("كاميرا", cam.getString("nameAr"));
        assertEquals(25.2048, cam.getJsonObject("location").getDouble("latitude"));
        assertNull(cam.getValue("rtsp_url"));

        Http.Answer again = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + sim.id() + "\"}");
        assertEquals(409, again.status());
        assertEquals(cam.getString("id"), again.json().getString("cameraId"));

        JsonObject list = gw.http.get("/api/v1/milestone/cameras?search=" + sim.name().replace(" ", "%20")).json();
        assertTrue(list.getJsonArray("cameras").getJsonObject(0).getBoolean("imported"));
        assertEquals(1L, list.getLong("imported"));
        JsonObject importedOnly = gw.http.get("/api/v1/milestone/cameras?imported=true").json();
        assertTrue(importedOnly.getJsonArray("cameras").stream().anyMatch(o -> ((JsonObject) o).getString("id")
                .equals(sim.id())));
        assertTrue(importedOnly.getJsonArray("cameras").stream().allMatch(o -> ((JsonObject) o).getBoolean("imported")));
        assertEquals(importedOnly.getLong("total"), importedOnly.getLong("imported"));
        JsonObject notImported = gw.http.get("/api/v1/milestone/cameras?imported=false").json();
        assertTrue(notImported.getJsonArray("cameras").stream().noneMatch(o -> ((JsonObject) o).getBoolean("imported")));
        assertEquals(0L, notImported.getLong("imported"));
        assertEquals(400, gw.http.get("/api/v1/milestone/cameras?imported=maybe").status());

        assertEquals(cam, gw.http.get("/api/v1/cameras/" + cam.getString("id")).json());
    }

    @Test
    void unknownDeviceIs404() throws Exception {
        Http.Answer a = gw.http.post("/api/v1/cameras/import",
                "{\"milestoneDeviceId\":\"0b0e0e0e-0000-4000-8000-000000000000\"}");
        assertEquals(404, a.status());
        assertTrue(a.json().getString("error").contains("0b0e0e0e-0000-4000-8000-000000000000"));
    }

    @Test
    void putEditsOnlyWhatIsSentAndSyncKeepsAnOperatorsName() throws Exception {
        SimulatedSite.Camera sim = simCamera(4);
        String id = importCamera(sim.id(), "").getString("id");
        JsonObject edited = gw.http.put("/api/v1/cameras/" + id, "{\"source\":\"METRO\",\"nameAr\":\"محطة\"}").json();
        assertEquals("METRO", edited.getString("source"));
        assertEquals(sim.name(), edited.getString("name"));

        gw.simulator.site().rename(sim.id(), "Camera 05 - Renamed In XProtect");
        JsonObject synced = gw.http.put("/api/v1/cameras/" + id + "/sync", null).json();
        assertEquals("Camera 05 - Renamed In XProtect", synced.getString("name"), "a name nobody chose follows XProtect");
        assertEquals("METRO", synced.getString("source"));

        gw.http.put("/api/v1/cameras/" + id, "{\"name\":\"Platform A North\"}");
        gw.simulator.site().rename(sim.id(), "Camera 05 - Renamed Again");
        assertEquals("Platform A North", gw.http.put("/api/v1/cameras/" + id + "/sync", null).json().getString("name"));

        JsonObject cleared = gw.http.put("/api/v1/cameras/" + id, "{\"nameAr\":null,\"location\":null}").json();
        assertNull(cleared.getValue("nameAr"));
    }

    @Test
    void cameraListPagesAndFiltersBySource() throws Exception {
        importCamera(simCamera(5).id(), ",\"source\":\"BUS\"");
        importCamera(simCamera(6).id(), ",\"source\":\"BUS\"");
        JsonObject bus = gw.http.get("/api/v1/cameras?source=BUS&limit=1").json();
        assertEquals(2L, bus.getLong("total"));
        JsonArray cams = bus.getJsonArray("cameras");
        assertEquals(1, cams.size());
        assertEquals("BUS", cams.getJsonObject(0).getString("source"));
    }

    @Test
    void deleteRemovesTheCameraAndItCanBeImportedAgain() throws Exception {
        SimulatedSite.Camera sim = simCamera(7);
        String id = importCamera(sim.id(), "").getString("id");
        assertEquals(204, gw.http.delete("/api/v1/cameras/" + id).status());
        assertEquals(404, gw.http.get("/api/v1/cameras/" + id).status());
        assertEquals(404, gw.http.delete("/api/v1/cameras/" + id).status());
        assertFalse(importCamera(sim.id(), "").getString("id").equals(id));
    }

    @Test
    void statusFollowsTheRecordingServersReachability() throws Exception {
        SimulatedSite.Camera sim = simCamera(8);
        String id = importCamera(sim.id(), "").getString("id");
        String recorder = gw.simulator.site().recorderOf(sim).id;
        gw.simulator.stopRecorder(recorder).toCompletionStage().toCompletableFuture().get();
        try {
            Thread.sleep(5100); // past the reachability answer's short cache
            assertEquals("OFFLINE", gw.http.put("/api/v1/cameras/" + id + "/sync", null).json().getString("status"));
        } finally {
            gw.simulator.startRecorder(recorder).toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void syncOfADeviceXProtectNoLongerHasAnswers404AndMarksItError() throws Exception {
        // Import a camera, then point its row at a device id XProtect does not know, as after a removal.
        String id = importCamera(simCamera(9).id(), "").getString("id");
        try (var c = java.sql.DriverManager.getConnection(gw.jdbcUrl, "postgres", "")) {
            c.createStatement().execute("UPDATE cameras SET milestone_device_id = 'deadbeef-0000-4000-8000-000000000000'"
                    + " WHERE id = '" + id + "'");
        }
        Http.Answer a = gw.http.put("/api/v1/cameras/" + id + "/sync", null);
        assertEquals(404, a.status());
        assertEquals("ERROR", gw.http.get("/api/v1/cameras/" + id).json().getString("status"));
    }

}
