package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.cns.gateway.config.ConfigLoader;
import com.cns.gateway.testsupport.TestClock;
import com.cns.gateway.testsupport.EventClient;
import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.xprotect.simulator.SimulatedSite;
import com.cns.xprotect.simulator.SimulatorOptions;
import io.vertx.core.json.JsonObject;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two gateway instances on one database: the auto-stop and its event happen exactly once. */
class TwoInstancesRecordingTest {

    @Test
    void bothInstancesSweepButTheStopAndItsEventHappenOnce() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
        try (GatewayHarness a = new GatewayHarness(SimulatorOptions.defaults(), Map.of("INSTANCE_ID", "gw-a"), clock)) {
            GatewayApp b = new GatewayApp(ConfigLoader.load(Map.of("HTTP_PORT", "0", "HTTP_HOST", "127.0.0.1",
                    "DATABASE_URL", a.databaseUrl, "MILESTONE_BASE_URL", a.simulator.baseUrl(),
                    "MILESTONE_USERNAME", "admin", "MILESTONE_PASSWORD", "admin", "INSTANCE_ID", "gw-b")), clock);
            int portB = b.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            try (EventClient onA = new EventClient(a.http);
                 EventClient onB = new EventClient(a.http.at("http://127.0.0.1:" + portB))) {
                SimulatedSite.Camera sim = a.simulator.site().cameras().get(0);
                String cameraId = a.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + sim.id() + "\"}")
                        .json().getString("id");
                Http.Answer started = a.http.post("/api/v1/cameras/" + cameraId + "/recordings/start",
                        "{\"duration\":120}");
                assertEquals(200, started.status(), started.body());
                onA.next("recording_started", Duration.ofSeconds(5));
                onB.next("recording_started", Duration.ofSeconds(5));
                a.simulator.requests().clear();

                clock.advance(Duration.ofSeconds(120));
                JsonObject stoppedA = onA.next("recording_stopped", Duration.ofSeconds(3));
                JsonObject stoppedB = onB.next("recording_stopped", Duration.ofSeconds(3));
                assertEquals(stoppedA, stoppedB, "the same event reached the clients of both instances");
                assertEquals("auto", stoppedA.getString("reason"));
                Thread.sleep(1500); // several more sweeps of both instances
                for (EventClient c : new EventClient[] {onA, onB}) {
                    assertEquals(1, c.seen().stream().filter(e -> "recording_stopped".equals(e.getString("type")))
                            .count());
                }
                assertFalse(a.simulator.manualRecordings().isRecording(sim.id()));
                assertEquals(1, a.simulator.requests().entries().stream()
                        .filter(e -> e.action() != null && e.action().contains("StopManualRecording")).count(),
                        "one SOAP stop: the lease kept the other instance out");
                try (var c = DriverManager.getConnection(a.jdbcUrl, "postgres", "")) {
                    var rs = c.createStatement().executeQuery("SELECT count(*) FROM recording_audit_log "
                            + "WHERE action = 'stop'");
                    rs.next();
                    assertEquals(1, rs.getInt(1));
                }
            } finally {
                b.close();
            }
        }
    }
}
