package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.GatewayProcess;
import com.cns.gateway.testsupport.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway as an operator runs it: its own process, embedded defaults, crashes and restarts; after
 * a restart an imported camera still records, snapshots and plays (its recorder is where it was).
 */
class GatewayProcessTest {

    @Test
    void embeddedDefaultsKeepCamerasAcrossAKill9AndAdoptTheOrphanedDatabase() throws Exception {
        Path data = Files.createTempDirectory("cns-gw-proc");
        Path log = data.resolve("gateway.log");
        try {
            String cameraId;
            String deviceId;
            try (GatewayProcess first = GatewayProcess.start(Map.of("DATA_DIR", data.toString()), log)) {
                first.awaitReady(Duration.ofSeconds(90));
                String text = first.logText();
                assertTrue(text.contains("using the embedded XProtect simulator"), text);
                assertTrue(text.contains("Started the embedded PostgreSQL"), text);

                JsonObject listed = first.http.get("/api/v1/milestone/cameras?limit=1").json();
                deviceId = listed.getJsonArray("cameras").getJsonObject(0).getString("id");
                var imported = first.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + deviceId + "\"}");
                assertEquals(201, imported.status(), imported.body());
                cameraId = imported.json().getString("id");
                first.kill9();
            }
            List<String> ports = ports(data);
            assertEquals(3, ports.size(), "three recorders' ports kept: " + ports);
            List<String> pid = Files.readAllLines(data.resolve("postgres/data/postmaster.pid"));
            long pgPid = Long.parseLong(pid.get(0).trim());
            assertTrue(ProcessHandle.of(pgPid).map(ProcessHandle::isAlive).orElse(false),
                    "kill -9 of the gateway leaves its PostgreSQL running");

            try (GatewayProcess second = GatewayProcess.start(Map.of("DATA_DIR", data.toString()), log)) {
                second.awaitReady(Duration.ofSeconds(90));
                assertTrue(second.logText().contains("Adopted the embedded PostgreSQL (pid " + pgPid), second.logText());
                JsonObject cam = second.http.get("/api/v1/cameras/" + cameraId).json();
                assertEquals(deviceId, cam.getString("milestone_device_id"), "the camera survived the crash");
                assertEquals(409, second.http.post("/api/v1/cameras/import",
                        "{\"milestoneDeviceId\":\"" + deviceId + "\"}").status());
                // The embedded recorders came back on their ports: the camera's stored address still holds.
                assertEquals(ports, ports(data), "the recorders listen where they did");
                String day = "startTime=" + enc(Instant.now().minus(Duration.ofHours(26))) + "&endTime="
                        + enc(Instant.now().minus(Duration.ofHours(2)));
                JsonObject seq = second.http.get("/api/v1/cameras/" + cameraId + "/recordings/sequences?" + day).json()
                        .getJsonArray("sequences").getJsonObject(0);
                String t = enc(Instant.parse(seq.getString("startTime")).plusSeconds(5));
                var snap = second.http.bytes("/api/v1/cameras/" + cameraId + "/playback/snapshot?time=" + t);
                assertEquals(200, snap.statusCode(), new String(snap.body()));
                var playlist = second.http.get("/api/v1/cameras/" + cameraId + "/playback/stream?time=" + t);
                assertEquals(200, playlist.status(), playlist.body());
                var started = second.http.post("/api/v1/cameras/" + cameraId + "/recordings/start", "{\"duration\":60}");
                assertEquals(200, started.status(), started.body());
                assertEquals(200, second.http.post("/api/v1/cameras/" + cameraId + "/recordings/stop", "{}").status());
                assertEquals("ONLINE", second.http.get("/api/v1/cameras/" + cameraId).json().getString("status"));
                second.terminate();
            }
            // PostgreSQL removes its postmaster.pid at the end of a clean shutdown.
            assertFalse(Files.exists(data.resolve("postgres/data/postmaster.pid")),
                    "a clean stop of the gateway stops the embedded PostgreSQL:\n" + Files.readString(log));
        } finally {
            TestDatabase.deleteTree(data);
        }
    }

    @Test
    void badConfigurationExitsWithEveryProblemNamedAndNoSecret() throws Exception {
        Path dir = Files.createTempDirectory("cns-gw-conf");
        try {
            GatewayProcess p = GatewayProcess.start(Map.of("HTTP_PORT", "8080", "MILESTONE_TLS_VERIFY", "maybe",
                    "MILESTONE_BASE_URL", "https://xprotect.example", "MILESTONE_PASSWORD", "s3cr3t-value",
                    "MILESTONE_RETRY_ATTEMPTS", "many"), dir.resolve("out.log"));
            assertEquals(2, p.waitForExit(Duration.ofSeconds(30)));
            String out = p.logText();
            assertTrue(out.contains("MILESTONE_TLS_VERIFY must be true or false"), out);
            assertTrue(out.contains("MILESTONE_USERNAME is required"), out);
            assertTrue(out.contains("MILESTONE_RETRY_ATTEMPTS must be a whole number"), out);
            assertFalse(out.contains("s3cr3t-value"), out);
        } finally {
            TestDatabase.deleteTree(dir);
        }
    }

    private static List<String> ports(Path data) throws Exception {
        return Files.readAllLines(data.resolve("embedded-simulator-ports.properties")).stream()
                .filter(l -> !l.startsWith("#")).sorted().toList();
    }

    private static String enc(Instant t) {
        return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
    }
}
