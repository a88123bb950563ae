package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.support.SimulatorProcess;
import com.cns.gateway.testsupport.GatewayProcess;
import com.cns.gateway.testsupport.Http;
import com.cns.gateway.testsupport.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Restart recovery with real processes: the simulator runs as its own process (its recording state
 * outlives the gateway), the gateway is killed with SIGKILL mid-recording, and a new gateway process
 * stops the session whose end passed while it was down and keeps the other running.
 */
class RecordingRecoveryProcessTest {

    @Test
    void afterAKill9OverdueSessionsStopAtOnceAndTheOthersContinue() throws Exception {
        Path dir = Files.createTempDirectory("cns-recovery");
        // Port 0, read back from the simulator's log: a port picked here could be taken before it binds.
        try (SimulatorProcess simulator = SimulatorProcess.start(dir.resolve("sim.log"))) {
            String simUrl = simulator.url;
            Http sim = new Http(simUrl);
            Map<String, String> env = Map.of("DATABASE_URL", TestDatabase.newDatabaseUrl(),
                    "MILESTONE_BASE_URL", simUrl, "MILESTONE_USERNAME", "admin",
                    "MILESTONE_PASSWORD", "admin", "DATA_DIR", dir.toString());
            String shortCam;
            String longCam;
            String shortDevice;
            String longDevice;
            try (GatewayProcess first = GatewayProcess.start(env, dir.resolve("gw1.log"))) {
                first.awaitReady(Duration.ofSeconds(60));
                var devices = first.http.get("/api/v1/milestone/cameras?limit=2").json().getJsonArray("cameras");
                shortDevice = devices.getJsonObject(0).getString("id");
                longDevice = devices.getJsonObject(1).getString("id");
                shortCam = importCamera(first.http, shortDevice);
                longCam = importCamera(first.http, longDevice);
                assertEquals(200, first.http.post("/api/v1/cameras/" + shortCam + "/recordings/start",
                        "{\"duration\":3}").status());
                assertEquals(200, first.http.post("/api/v1/cameras/" + longCam + "/recordings/start",
                        "{\"duration\":600}").status());
                first.kill9();
            }
            Thread.sleep(4000); // the short recording's end passes while no gateway runs
            assertTrue(xprotectRecording(sim, shortDevice), "nobody stopped it while the gateway was down");

            try (GatewayProcess second = GatewayProcess.start(env, dir.resolve("gw2.log"))) {
                second.awaitReady(Duration.ofSeconds(60));
                JsonObject shortStatus = null;
                for (int i = 0; i < 40; i++) {
                    shortStatus = second.http.get("/api/v1/cameras/" + shortCam + "/recordings/status").json();
                    if (!shortStatus.getBoolean("isRecording")) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertFalse(shortStatus.getBoolean("isRecording"), shortStatus.encode());
                assertEquals("auto", shortStatus.getJsonObject("lastRecording").getString("stopReason"));
                assertFalse(xprotectRecording(sim, shortDevice), "stopped at XProtect too");

                JsonObject longStatus = second.http.get("/api/v1/cameras/" + longCam + "/recordings/status").json();
                assertTrue(longStatus.getBoolean("isRecording"), longStatus.encode());
                assertTrue(longStatus.getJsonObject("recording").getInteger("remainingSeconds") > 580);
                assertTrue(xprotectRecording(sim, longDevice));

                assertEquals(200, second.http.post("/api/v1/cameras/" + longCam + "/recordings/stop", null).status());
                assertFalse(xprotectRecording(sim, longDevice));
            }
        } finally {
            TestDatabase.deleteTree(dir);
        }
    }

    private static String importCamera(Http http, String device) throws Exception {
        Http.Answer a = http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + device + "\"}");
        assertEquals(201, a.status(), a.body());
        return a.json().getString("id");
    }

    private static boolean xprotectRecording(Http sim, String device) throws Exception {
        return sim.get("/simulator/cameras/" + device + "/manual-recording").json().getBoolean("isManualRecording");
    }
}
