package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.milestone.TestClock;
import com.cns.gateway.support.GatewayHarness;
import com.cns.gateway.support.Http;
import com.cns.gateway.support.MediaProbe;
import com.cns.xprotect.simulator.CameraProfile;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatedSite;
import com.cns.xprotect.simulator.SimulatorOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real player: hls.js in Debian's headless Chromium (driven by playwright-core, installed by the
 * README's test command) plays a recording's playlist from the gateway: its clock advances, its
 * {@code playingDate} shows the recording time, and no error event fires.
 */
class PlaybackBrowserTest {
    private static final Path SCRIPT_DIR = Path.of("src/test/browser");

    @Test
    void hlsJsPlaysARecordingAtItsRecordingTime() throws Exception {
        assertTrue(Files.isDirectory(SCRIPT_DIR.resolve("node_modules/hls.js")), "run scripts/test.sh, which "
                + "installs the browser test's npm packages into " + SCRIPT_DIR.toAbsolutePath());
        Instant now = Instant.parse("2026-11-25T12:34:56.789Z");
        try (GatewayHarness gw = new GatewayHarness(SimulatorOptions.defaults(), Map.of(), new TestClock(now))) {
            SimulatedSite.Camera cam = gw.simulator.site().cameras().stream()
                    .filter(c -> c.recordingEnabled() && gw.simulator.site().profile(c.id()) == CameraProfile.FIXED_GOP)
                    .findFirst().orElseThrow();
            Http.Answer imported = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + cam.id() + "\"}");
            assertEquals(201, imported.status(), imported.body());
            RecordedSpan span = gw.simulator.history().spans(cam.id(), now.minus(Duration.ofDays(3)),
                    now.minus(Duration.ofDays(2))).stream()
                    .filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() > 120_000).findFirst().orElseThrow();
            Instant t = span.begin().plusMillis(30_250);
            String playlist = PlaybackHlsApiTest.streamPath(imported.json().getString("id"), t, null);

            MediaProbe.Run run = MediaProbe.run("node", SCRIPT_DIR.resolve("play-hls.mjs").toString(),
                    gw.http.base(), playlist, "3");
            assertEquals(0, run.exit(), run.err());
            JsonObject r = new JsonObject(new String(run.out()).trim());
            assertEquals(0, r.getJsonArray("errors").size(), "no hls.js error event: " + r);
            JsonObject first = r.getJsonObject("first");
            JsonObject last = r.getJsonObject("last");
            double advanced = last.getDouble("currentTime") - first.getDouble("currentTime");
            assertTrue(advanced >= 3, "currentTime advances: " + r);
            long shownFirst = first.getLong("playingDate");
            assertTrue(Math.abs(shownFirst - t.toEpochMilli()) < 500,
                    "playback starts at the asked recording time: " + r);
            long shownLast = last.getLong("playingDate");
            assertTrue(Math.abs(shownLast - shownFirst - advanced * 1000) < 100,
                    "playingDate follows currentTime at 1x: " + r);
        }
    }
}
