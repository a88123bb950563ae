package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.TestClock;
import com.cns.gateway.testsupport.EventClient;
import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.xprotect.simulator.SimulatedSite;
import com.cns.xprotect.simulator.SimulatorOptions;
import io.vertx.core.json.JsonObject;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Manual recordings through HTTP against the simulator and PostgreSQL (plan 8.2), on a fake clock
 * shared by the gateway and the simulator: time moves when the test says so.
 */
class RecordingApiTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    private GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        gw = new GatewayHarness(SimulatorOptions.defaults(), Map.of("RECORDING_PROGRESS_INTERVAL", "200ms",
                "RECORDING_STOP_RETRY_DELAY", "100ms", "RECORDING_LEASE", "5s"), clock);
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    /** Imports the first enabled simulator camera whose XProtect timeout is 15 minutes (or 5 if asked). */
    private String[] importCamera(int timeoutMinutes) throws Exception {
        return importCamera(timeoutMinutes, c -> true);
    }

    private String[] importCamera(int timeoutMinutes, Predicate<SimulatedSite.Camera> also) throws Exception {
        SimulatedSite.Camera sim = gw.simulator.site().cameras().stream()
                .filter(c -> c.enabled() && c.manualRecordingTimeoutMinutes() == timeoutMinutes).filter(also)
                .findFirst().orElseThrow();
        Http.Answer a = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + sim.id() + "\"}");
        assertEquals(201, a.status(), a.body());
        return new String[] {a.json().getString("id"), sim.id()};
    }

    private Http.Answer startRecording(String cameraId, String body) throws Exception {
        return gw.http.post("/api/v1/cameras/" + cameraId + "/recordings/start", body);
    }

    private JsonObject status(String cameraId) throws Exception {
        return gw.http.get("/api/v1/cameras/" + cameraId + "/recordings/status").json();
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what);
    }

    private boolean recordingAtXProtect(String deviceId) {
        return gw.simulator.manualRecordings().isRecording(deviceId);
    }

    private String stateOf(String cameraId) {
        try {
            JsonObject s = status(cameraId);
            return s.getBoolean("isRecording") ? s.getJsonObject("recording").getString("state")
                    : s.getJsonObject("lastRecording") == null ? "none" : s.getJsonObject("lastRecording").getString("status");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void defaultDurationIs900SecondsAndStopAnswersTheActualDuration() throws Exception {
        String[] cam = importCamera(15);
        Http.Answer a = startRecording(cam[0], null);
        assertEquals(200, a.status(), a.body());
        JsonObject r = a.json();
        assertEquals(Set.of("recordingId", "cameraId", "startTime", "estimatedEndTime", "durationSeconds", "status"),
                r.fieldNames());
        assertTrue(r.getString("recordingId").matches("rec_[0-9a-f-]{36}"));
        assertEquals(900, r.getInteger("durationSeconds"));
        assertEquals("recording", r.getString("status"));
        assertEquals("2026-11-25T10:00:00Z", r.getString("startTime"));
        assertEquals("2026-11-25T10:15:00Z", r.getString("estimatedEndTime"));
        assertTrue(recordingAtXProtect(cam[1]));

        clock.advance(Duration.ofSeconds(245));
        JsonObject st = status(cam[0]);
        assertTrue(st.getBoolean("isRecording"));
        assertEquals(245, st.getJsonObject("recording").getInteger("elapsedSeconds"));
        assertEquals(655, st.getJsonObject("recording").getInteger("remainingSeconds"));

        double userStops = ended("user");
        Http.Answer stop = gw.http.post("/api/v1/cameras/" + cam[0] + "/recordings/stop", null);
        assertEquals(200, stop.status(), stop.body());
        assertEquals(245, stop.json().getInteger("actualDuration"));
        assertEquals(userStops + 1, ended("user"), "a user's stop is counted by reason");
        assertEquals("stopped", stop.json().getString("status"));
        assertEquals("2026-11-25T10:04:05Z", stop.json().getString("endTime"));
        assertFalse(recordingAtXProtect(cam[1]));

        JsonObject last = status(cam[0]);
        assertFalse(last.getBoolean("isRecording"));
        assertEquals(r.getString("recordingId"), last.getJsonObject("lastRecording").getString("recordingId"));
        assertEquals("user", last.getJsonObject("lastRecording").getString("stopReason"));
        assertEquals(404, gw.http.post("/api/v1/cameras/" + cam[0] + "/recordings/stop", null).status());

        try (var c = DriverManager.getConnection(gw.jdbcUrl, "postgres", "")) {
            var rs = c.createStatement().executeQuery("SELECT action, actor FROM recording_audit_log ORDER BY id");
            assertTrue(rs.next());
            assertEquals("start", rs.getString(1));
            assertEquals("admin", rs.getString(2));
            assertTrue(rs.next());
            assertEquals("stop", rs.getString(1));
            assertEquals("admin", rs.getString(2));
        }
    }

    @Test
    void startWhileRecordingAnswers409WithCurrentRecordingAndDeleteAnswers409() throws Exception {
        String[] cam = importCamera(15);
        String id = startRecording(cam[0], "{\"duration\":60}").json().getString("recordingId");
        clock.advance(Duration.ofSeconds(10));
        Http.Answer again = startRecording(cam[0], "{\"duration\":60}");
        assertEquals(409, again.status());
        assertEquals("Camera is already recording", again.json().getString("error"));
        assertEquals(id, again.json().getJsonObject("currentRecording").getString("recordingId"));
        assertEquals(50, again.json().getJsonObject("currentRecording").getInteger("remainingSeconds"));

        Http.Answer delete = gw.http.delete("/api/v1/cameras/" + cam[0]);
        assertEquals(409, delete.status());
        assertTrue(delete.json().getString("error").contains("stop the recording first"));
    }

    /**
     * A camera deleted the moment its recording stops (the DELETE is refused until the stop commits,
     * then succeeds at once): the stop still answers 200 with the stopped recording, never a 500
     * (FuzzApiTest found one: the stop re-read a session the camera's deletion had just removed).
     */
    @Test
    void aCameraDeletedTheMomentItsRecordingStopsStillGetsItsStopAnswered() throws Exception {
        SimulatedSite.Camera sim = gw.simulator.site().cameras().stream().filter(SimulatedSite.Camera::enabled)
                .findFirst().orElseThrow();
        for (int round = 0; round < 12; round++) {
            String camera = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + sim.id() + "\"}")
                    .json().getString("id");
            assertEquals(200, startRecording(camera, "{\"duration\":60}").status());
            java.util.concurrent.atomic.AtomicInteger deleted = new java.util.concurrent.atomic.AtomicInteger();
            Thread deleter = new Thread(() -> {
                try {
                    while (deleted.get() == 0) {
                        int st = gw.http.delete("/api/v1/cameras/" + camera).status();
                        if (st == 204) {
                            deleted.set(st);
                        } else if (st != 409) {
                            deleted.set(st);
                        }
                    }
                } catch (Exception e) {
                    deleted.set(-1);
                }
            });
            deleter.start();
            Http.Answer stop = gw.http.post("/api/v1/cameras/" + camera + "/recordings/stop", null);
            deleter.join(10_000);
            assertEquals(200, stop.status(), "round " + round + ": " + stop.body());
            assertEquals("stopped", stop.json().getString("status"));
            assertEquals(204, deleted.get(), "the camera is deleted once its recording stopped");
        }
    }

    @Test
    void unknownOrNotImportedCamerasAre404() throws Exception {
        String unknown = "0b0e0e0e-0000-4000-8000-000000000000";
        assertEquals(404, startRecording(unknown, "{\"duration\":60}").status());
        assertEquals(404, gw.http.post("/api/v1/cameras/" + unknown + "/recordings/stop", null).status());
        assertEquals(404, gw.http.get("/api/v1/cameras/" + unknown + "/recordings/status").status());
        // A camera XProtect has but CNS has not imported: its device id is not a CNS camera id.
        String device = gw.simulator.site().cameras().get(0).id();
        assertEquals(404, startRecording(device, "{\"duration\":60}").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "7201", "\"abc\"", "1.5", "true", "null"})
    void badDurationsAre400NamingTheLimit(String duration) throws Exception {
        String[] cam = importCamera(15);
        Http.Answer a = startRecording(cam[0], "{\"duration\":" + duration + "}");
        if (duration.equals("null")) {
            assertEquals(200, a.status(), "null means the default");
            return;
        }
        assertEquals(400, a.status(), a.body());
        assertTrue(a.json().getString("error").contains("7200"), a.body());
        assertEquals("duration", a.json().getString("field"));
        assertFalse(recordingAtXProtect(cam[1]));
    }

    @Test
    void autoStopsAtTheEstimatedEndOnTheFakeClockWithOneEvent() throws Exception {
        String[] cam = importCamera(15);
        try (EventClient events = new EventClient(gw.http)) {
            startRecording(cam[0], "{\"duration\":600}");
            JsonObject started = events.next("recording_started", Duration.ofSeconds(5));
            assertEquals(cam[0], started.getString("cameraId"));
            assertTrue(started.getJsonObject("status").getBoolean("isRecording"));
            JsonObject progress = events.next("recording_progress", Duration.ofSeconds(5));
            assertEquals(600, progress.getJsonObject("status").getJsonObject("recording").getInteger("durationSeconds"));

            clock.advance(Duration.ofSeconds(599));
            Thread.sleep(600);
            assertEquals("recording", stateOf(cam[0]));
            assertTrue(recordingAtXProtect(cam[1]));

            double autoStops = ended("auto");
            assertTrue(ended("xprotect_timeout") >= 0, "every reason has a series from the start");
            String metrics = gw.http.get("/metrics").body();
            for (String series : List.of("gateway_recording_stop_attempts_total{outcome=\"failed\"",
                    "gateway_milestone_token_renewals_total{kind=\"vms\",outcome=\"failure\"",
                    "gateway_milestone_requests_total{operation=\"idp_token\",outcome=\"unavailable\"")) {
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith(series.substring(0, series.indexOf('{')))
                        && l.contains(series.substring(series.indexOf('{') + 1))), series + " exists before it happens");
            }
            clock.advance(Duration.ofSeconds(1));
            JsonObject stopped = events.next("recording_stopped", Duration.ofSeconds(2));
            assertEquals("auto", stopped.getString("reason"));
            assertEquals(autoStops + 1, ended("auto"), "the auto-stop is counted once");
            assertEquals("stopped", stateOf(cam[0]));
            assertFalse(recordingAtXProtect(cam[1]));
            Thread.sleep(600);
            assertEquals(1, events.seen().stream().filter(e -> "recording_stopped".equals(e.getString("type"))).count());
        }
    }

    @Test
    void xprotectTimeoutShorterThanTheDurationIsRenewedSoTheRecordingLastsItsDuration() throws Exception {
        String[] cam = importCamera(5);
        startRecording(cam[0], "{\"duration\":900}");
        for (int minute = 1; minute < 15; minute++) {
            clock.advance(Duration.ofSeconds(60));
            Thread.sleep(400);
            assertTrue(recordingAtXProtect(cam[1]), "still recording at XProtect after " + minute + " min");
            assertEquals("recording", stateOf(cam[0]), "after " + minute + " min");
        }
        clock.advance(Duration.ofSeconds(60));
        eventually("auto-stop at 15 min", () -> "stopped".equals(stateOf(cam[0])));
        assertEquals("auto", status(cam[0]).getJsonObject("lastRecording").getString("stopReason"));
        var spans = gw.simulator.manualRecordings().spans(cam[1]);
        assertEquals(1, spans.size(), "one continuous recording, not several");
        assertEquals(Duration.ofMinutes(15), Duration.between(spans.get(0).begin(), spans.get(0).end()));
    }

    @Test
    void anEarlyStopByAnotherOperatorEndsTheSessionWithReasonFailure() throws Exception {
        // A camera that records nothing else now: its manual recording is the only recording sequence.
        Instant t0 = clock.instant();
        String[] cam = importCamera(15, c -> gw.simulator.history().spans(c.id(), t0.minusSeconds(60),
                t0.plusSeconds(60)).isEmpty());
        try (EventClient events = new EventClient(gw.http)) {
            startRecording(cam[0], "{\"duration\":600}");
            clock.advance(Duration.ofSeconds(3));
            Instant stoppedAt = clock.instant();
            gw.simulator.manualRecordings().stop(cam[1]);
            clock.advance(Duration.ofSeconds(11));
            JsonObject stopped = events.next("recording_stopped", Duration.ofSeconds(3));
            assertEquals("failure", stopped.getString("reason"));
            JsonObject last = status(cam[0]).getJsonObject("lastRecording");
            assertEquals("failure", last.getString("stopReason"));
            assertNotNull(last.getString("error"));
            assertEquals(stoppedAt.truncatedTo(ChronoUnit.SECONDS).toString(), last.getString("endTime"),
                    "the end XProtect recorded, not the time the gateway noticed (11 s later)");
        }
    }

    @Test
    void xprotectDownDuringStartAnswers503AndLeavesNoRunningSession() throws Exception {
        String[] cam = importCamera(15);
        gw.simulator.faults().drop("/RecorderCommandService", -1);
        Http.Answer a = startRecording(cam[0], "{\"duration\":60}");
        assertEquals(503, a.status(), a.body());
        assertNotNull(a.header("Retry-After"));
        JsonObject st = status(cam[0]);
        assertFalse(st.getBoolean("isRecording"));
        assertEquals("failed", st.getJsonObject("lastRecording").getString("status"));
        gw.simulator.faults().clear();
        Thread.sleep(400); // the recorder's circuit half-opens
        clock.advance(Duration.ofSeconds(60));
        assertEquals(200, startRecording(cam[0], "{\"duration\":60}").status(), "recovers when XProtect returns");
    }

    @Test
    void xprotectDownDuringAutoStopIsRetriedUntilTheStopLands() throws Exception {
        String[] cam = importCamera(15);
        startRecording(cam[0], "{\"duration\":60}");
        gw.simulator.faults().error("/RecorderCommandService", 503, 4);
        clock.advance(Duration.ofSeconds(60));
        for (int i = 0; i < 40 && !"stopped".equals(stateOf(cam[0])); i++) {
            Thread.sleep(250);
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals("stopped", stateOf(cam[0]));
        assertEquals("auto", status(cam[0]).getJsonObject("lastRecording").getString("stopReason"));
        assertFalse(recordingAtXProtect(cam[1]));
        try (var c = DriverManager.getConnection(gw.jdbcUrl, "postgres", "")) {
            var rs = c.createStatement().executeQuery("SELECT stop_attempts FROM milestone_recording_sessions");
            assertTrue(rs.next());
            assertTrue(rs.getInt(1) >= 2, "stopped after retrying: " + rs.getInt(1) + " attempts");
        }
    }

    @Test
    void stopRetriesExhaustedMarkTheSessionFailedWithTheReason() throws Exception {
        String[] cam = importCamera(15);
        startRecording(cam[0], "{\"duration\":60}");
        gw.simulator.faults().error("/RecorderCommandService", 503, -1);
        try (EventClient events = new EventClient(gw.http)) {
            clock.advance(Duration.ofSeconds(60));
            for (int i = 0; i < 60 && !"failed".equals(stateOf(cam[0])); i++) {
                Thread.sleep(200);
                clock.advance(Duration.ofSeconds(10));
            }
            JsonObject last = status(cam[0]).getJsonObject("lastRecording");
            assertEquals("failed", last.getString("status"));
            assertEquals("failure", last.getString("stopReason"));
            assertTrue(last.getString("error").contains("stop failed after 6 attempts"), last.encode());
            assertEquals("failure", events.next("recording_stopped", Duration.ofSeconds(2)).getString("reason"));
        }
    }

    @Test
    void whenRenewalCannotReachXProtectItsOwnTimeoutEndsTheSessionWithReasonXProtectTimeout() throws Exception {
        String[] cam = importCamera(5);
        startRecording(cam[0], "{\"duration\":900}");
        gw.simulator.faults().drop("/RecorderCommandService", -1);
        clock.advance(Duration.ofMinutes(5));
        Thread.sleep(500);
        gw.simulator.faults().clear();
        Thread.sleep(400); // the recorder's circuit half-opens
        clock.advance(Duration.ofSeconds(11));
        eventually("ended by XProtect", () -> "stopped".equals(stateOf(cam[0])));
        JsonObject last = status(cam[0]).getJsonObject("lastRecording");
        assertEquals("xprotect_timeout", last.getString("stopReason"));
        assertEquals(Instant.parse(last.getString("startTime")).plus(Duration.ofMinutes(5)).toString(),
                last.getString("endTime"), "ended when the camera's 5 min timeout did, not when noticed");
    }

    @Test
    void aSessionLeftStartingByACrashIsReconciledWithXProtect() throws Exception {
        String[] onAtXProtect = importCamera(15);
        String[] offAtXProtect = {importCamera(5)[0], null};
        gw.simulator.manualRecordings().start(onAtXProtect[1]);
        try (var c = DriverManager.getConnection(gw.jdbcUrl, "postgres", "")) {
            for (String cameraId : new String[] {onAtXProtect[0], offAtXProtect[0]}) {
                c.createStatement().execute("INSERT INTO milestone_recording_sessions (camera_id, milestone_recording_id, "
                        + "start_time, duration_seconds, triggered_by, status, recorder_uri, device_id, created_at) "
                        + "SELECT id, 'rec_' || gen_random_uuid(), '2026-11-25T10:00:00Z', 600, 'anonymous', 'starting', "
                        + "milestone_metadata->>'recordingServerUri', milestone_device_id, '2026-11-25T10:00:00Z' "
                        + "FROM cameras WHERE id = '" + cameraId + "'");
            }
        }
        clock.advance(Duration.ofSeconds(30));
        eventually("reconciled", () -> "recording".equals(stateOf(onAtXProtect[0]))
                && "failed".equals(stateOf(offAtXProtect[0])));
        assertEquals("2026-11-25T10:10:00Z", status(onAtXProtect[0]).getJsonObject("recording")
                .getString("estimatedEndTime"));
    }

    @Test
    void rejectPolicyRefusesDurationsBeyondTheCamerasXProtectTimeout() throws Exception {
        gw.close();
        gw = new GatewayHarness(SimulatorOptions.defaults(), Map.of("RECORDING_XPROTECT_TIMEOUT_POLICY", "reject"),
                clock);
        String[] cam = importCamera(5);
        Http.Answer a = startRecording(cam[0], "{\"duration\":301}");
        assertEquals(400, a.status());
        assertTrue(a.json().getString("error").contains("5 minutes"), a.body());
        assertEquals(300, a.json().getInteger("maxDuration"));
        assertEquals(200, startRecording(cam[0], "{\"duration\":300}").status());
    }

    /** {@code gateway_recordings_stopped_total{reason}} as /metrics has it; fails when the series is missing. */
    private double ended(String reason) throws Exception {
        Matcher m = Pattern.compile("gateway_recordings_stopped_total\\{[^}]*reason=\""
                + reason + "\"[^}]*\\} ([0-9.eE+-]+)").matcher(gw.http.get("/metrics").body());
        assertTrue(m.find(), "no gateway_recordings_stopped_total series for " + reason);
        return Double.parseDouble(m.group(1));
    }
}
