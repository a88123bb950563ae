package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatedSite;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A camera whose recording server fails over: XProtect moves it to another recording server, and the
 * gateway, finding its stored recorder unreachable, re-reads where the camera records (once per 30 s
 * per camera however many requests fail) and serves snapshots, playlists and recording starts from
 * the new one, with no sync by an operator. A camera whose recorder is down and did not move answers
 * 503 and is marked OFFLINE.
 */
class RecorderRelocationApiTest {
    private static GatewayHarness gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static SimulatedSite.Camera recordingCamera(int skip) {
        return gw.simulator.site().cameras().stream().filter(c -> c.enabled() && c.recordingEnabled()).skip(skip)
                .findFirst().orElseThrow();
    }

    private static String importCamera(SimulatedSite.Camera c) throws Exception {
        Http.Answer a = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + c.id() + "\"}");
        assertEquals(201, a.status(), a.body());
        return a.json().getString("id");
    }

    private static String snapshot(String camera, SimulatedSite.Camera c) throws Exception {
        Instant now = Instant.now();
        RecordedSpan span = gw.simulator.history().spans(c.id(), now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(1)))
                .stream().filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() > 60_000).findFirst().orElseThrow();
        return "/api/v1/cameras/" + camera + "/playback/snapshot?time="
                + URLEncoder.encode(span.begin().plusSeconds(20).toString(), StandardCharsets.UTF_8);
    }

    private static long cameraReads(String deviceId) {
        return gw.simulator.requests().count("GET", "/api/rest/v1/cameras/" + deviceId);
    }

    @Test
    void aCameraMovedToAFailoverRecorderIsFoundThereWithoutASync() throws Exception {
        SimulatedSite.Camera c = recordingCamera(0);
        String camera = importCamera(c);
        String snap = snapshot(camera, c);
        assertEquals(200, gw.http.bytes(snap).statusCode());
        SimulatedSite.Recorder home = gw.simulator.site().recorderOf(c);
        // Not the recorder the other test takes down (its circuit breaker may still be open).
        SimulatedSite.Recorder other = gw.simulator.site().recorderOf(recordingCamera(1));
        SimulatedSite.Recorder failover = gw.simulator.site().recorders().stream().filter(r -> r != home && r != other)
                .findFirst().orElseThrow();

        gw.simulator.stopRecorder(home.id).toCompletionStage().toCompletableFuture().get();
        try {
            assertTrue(gw.simulator.moveCamera(c.id(), failover.id));
            var moved = gw.http.bytes(snap);
            assertEquals(200, moved.statusCode(), "the snapshot comes from the failover recorder: " + new String(moved.body()));
            JsonObject after = gw.http.get("/api/v1/cameras/" + camera).json();
            assertEquals("ONLINE", after.getString("status"), after.encode());

            Http.Answer playlist = gw.http.get("/api/v1/cameras/" + camera + "/playback/stream?time="
                    + snap.substring(snap.indexOf("time=") + 5));
            assertEquals(200, playlist.status(), playlist.body());
            Http.Answer started = gw.http.post("/api/v1/cameras/" + camera + "/recordings/start", "{\"duration\":60}");
            assertEquals(200, started.status(), started.body());
            assertTrue(gw.simulator.manualRecordings().isRecording(c.id()), "XProtect records it on the failover server");
            assertEquals(200, gw.http.post("/api/v1/cameras/" + camera + "/recordings/stop", "{}").status());
        } finally {
            gw.simulator.moveCamera(c.id(), home.id);
            gw.simulator.startRecorder(home.id).toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void aCameraWhoseRecorderIsDownAndDidNotMoveAnswers503AndIsLookedUpOnceNotPerRequest() throws Exception {
        SimulatedSite.Camera c = recordingCamera(1);
        String camera = importCamera(c);
        String snap = snapshot(camera, c);
        SimulatedSite.Recorder home = gw.simulator.site().recorderOf(c);
        gw.simulator.stopRecorder(home.id).toCompletionStage().toCompletableFuture().get();
        try {
            long before = cameraReads(c.id());
            for (int i = 0; i < 4; i++) {
                Http.Answer a = gw.http.get(snap);
                assertEquals(503, a.status(), a.body());
                assertNotEquals(null, a.header("Retry-After"));
            }
            assertEquals(1, cameraReads(c.id()) - before, "XProtect is asked where the camera records once");
            assertEquals("OFFLINE", gw.http.get("/api/v1/cameras/" + camera).json().getString("status"),
                    "its status tells the truth meanwhile");
        } finally {
            gw.simulator.startRecorder(home.id).toCompletionStage().toCompletableFuture().get();
        }
    }
}
