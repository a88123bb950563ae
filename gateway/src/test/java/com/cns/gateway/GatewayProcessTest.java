package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.GatewayProcess;
import com.cns.gateway.testsupport.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway as an operator runs it: its own process, embedded defaults, crashes and restarts. */
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
}
