package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.support.MediaProbe;
import com.cns.gateway.testsupport.GatewayHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operators' dashboard end to end in Debian's Chromium (Playwright, {@code dashboard-flows.mjs})
 * against the gateway and the simulator, through the test hooks of dashboard/README.md: discovery and
 * bulk import, sync all, a manual recording's countdown and another client's start, a day's gaps,
 * a reload during the countdown, playback from a click on the timeline, backward at -2x, the
 * player's keyboard, a deep link, an export of a span dragged on the timeline, verified in the browser,
 * the wall's four cameras together, edit and delete, a viewer
 * without recording controls. Screenshots of every view are kept under
 * target/dashboard-screenshots.
 */
class DashboardFlowsTest {
    private static final Path SHOTS = Path.of("target", "dashboard-screenshots");
    private static GatewayHarness gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness();
        gw.as("watcher", "viewer", "*");
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @Test
    void anOperatorDiscoversRecordsFindsAndPlaysBackInChromium() throws Exception {
        MediaProbe.Run run = MediaProbe.run("node", Path.of("src", "test", "browser", "dashboard-flows.mjs").toString(),
                gw.http.base(), GatewayHarness.ADMIN_PASSWORD, GatewayHarness.USER_PASSWORD, SHOTS.toString());
        assertEquals(0, run.exit(), run.err());
        JsonObject r = new JsonObject(new String(run.out()).trim());
        String all = r.encodePrettily();
        assertEquals(0, r.getJsonArray("errors").size(), all);
        assertEquals("admin admin", r.getString("who"), all);

        assertTrue(r.getInteger("discoveryRows") > 4, all);
        assertEquals(100, r.getInteger("syncPercent"), "the sync's progress bar reached the end: " + all);
        assertEquals(5, r.getInteger("cameraRows"), "the five imported cameras are listed: " + all);
        assertEquals("rtl", r.getString("arabicDir"), "Arabic names read right to left");

        List<Object> countdown = r.getJsonArray("countdown").getList();
        int r1 = ((Number) countdown.get(0)).intValue();
        int r2 = ((Number) countdown.get(1)).intValue();
        assertTrue(r1 > 290 && r1 <= 300, "a 5-minute recording counts down from 300 s: " + all);
        assertTrue(r1 - r2 >= 2 && r1 - r2 <= 4, "and moves with the clock: " + all);
        int r3 = ((Number) countdown.get(2)).intValue();
        assertTrue(r3 <= r2 && r3 >= r2 - 10, "a reload keeps it right (the server's remaining seconds): " + all);
        assertTrue(r.getBoolean("stopped"), all);
        JsonObject other = r.getJsonObject("otherClientStart");
        assertEquals(200, other.getInteger("status"), all);
        assertTrue(other.getLong("shownAfterMs") <= 2000, "another client's start shows within 2 s: " + all);

        assertTrue(r.getInteger("gaps") >= 1, "yesterday's timeline shows gaps: " + all);
        assertTrue(r.getBoolean("thumbnail"), "resting on the timeline shows a snapshot: " + all);
        JsonObject click = r.getJsonObject("click");
        assertTrue(Math.abs(click.getLong("offsetMs")) <= 1000, "playback starts at the clicked time: " + all);
        assertTrue(click.getLong("advancedMs") >= 1000 && click.getDouble("videoAdvancedS") >= 1,
                "and the video advances: " + all);
        JsonObject reverse = r.getJsonObject("reverse");
        assertTrue(reverse.getLong("deltaMs") <= -2500 && reverse.getDouble("videoAdvancedS") >= 1,
                "at -2x the recording time runs backward while the video plays: " + all);
        assertTrue(r.getString("address").contains("speed=-1") && r.getString("address").contains("t="),
                "the address bar follows what is shown: " + all);
        JsonObject keys = r.getJsonObject("keyboard");
        assertTrue(keys.getBoolean("paused"), "space pauses: " + all);
        assertTrue(keys.getDouble("stepS") > 0.02 && keys.getDouble("stepS") < 0.1, "→ steps one picture: " + all);
        assertEquals("-1", keys.getString("speed"), "] goes from -2x to -1x: " + all);
        JsonObject deep = r.getJsonObject("deepLink");
        assertTrue(Math.abs(deep.getLong("offsetMs")) <= 1000, "a deep link plays its moment: " + all);
        assertEquals("2", deep.getString("speed"), "at its speed");
        assertTrue(r.getString("exportSpan").startsWith("Selection"), "a drag on the timeline selects a span: " + all);
        JsonObject range = r.getJsonObject("exportRange");
        long exported = java.time.Duration.between(java.time.Instant.parse(range.getString("startTime")),
                java.time.Instant.parse(range.getString("endTime"))).toSeconds();
        assertTrue(exported > 150 && exported < 210, "the export holds the selected 30 % of 10 minutes: " + all);
        assertEquals("true", r.getJsonObject("exportCheck").getString("valid"), "Verify checks it in the browser: " + all);
        // Saved under the name the gateway's Content-Disposition gives (export-<start>-<id>.mp4).
        assertTrue(r.getString("exportDownload").matches("export-\\d{4}-\\d\\d-\\d\\dT\\d{6}(\\.\\d+)?Z-[0-9a-f]{8}\\.mp4"),
                all);
        JsonObject wall = r.getJsonObject("wall");
        assertEquals(4, wall.getInteger("cameras"), all);
        assertTrue(wall.getLong("spreadMs") <= 1000, "the wall's four overlays are within 1 s: " + all);
        assertEquals("اسم جديد", r.getString("edited"), "an edit saves the Arabic name: " + all);
        assertEquals(4, r.getInteger("rowsAfterDelete"), "a delete removes the row: " + all);
        JsonObject viewer = r.getJsonObject("viewer");
        assertEquals(0, viewer.getInteger("recordStart"), "a viewer has no recording controls");
        assertEquals(0, viewer.getInteger("discoverLink"), "nor discovery");
        for (String shot : List.of("sign-in", "discover", "cameras", "recording", "camera-playing", "exports", "wall", "wall-1920",
                "viewer-camera")) {
            assertTrue(Files.size(SHOTS.resolve(shot + ".png")) > 10_000, shot);
        }
    }
}
