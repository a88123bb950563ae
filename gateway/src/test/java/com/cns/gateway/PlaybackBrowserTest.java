package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.TestClock;
import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real player: hls.js in Debian's headless Chromium (driven by playwright-core, installed by the
 * README's test command) plays a recording's playlist from the gateway: its clock advances, its
 * {@code playingDate} shows the recording time, it plays on across a gap in the recording, and no
 * error event fires.
 */
class PlaybackBrowserTest {
    private static final Path SCRIPT_DIR = Path.of("src/test/browser");
    private static final Instant NOW = Instant.parse("2026-11-25T12:34:56.789Z");
    private static GatewayHarness gw;
    private static final Map<CameraProfile, String[]> CAMERAS = new java.util.EnumMap<>(CameraProfile.class);
    private static String device;
    private static String camera;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.isDirectory(SCRIPT_DIR.resolve("node_modules/hls.js")), "run scripts/test.sh, which "
                + "installs the browser test's npm packages into " + SCRIPT_DIR.toAbsolutePath());
        gw = new GatewayHarness(SimulatorOptions.defaults(), Map.of(), new TestClock(NOW));
        for (SimulatedSite.Camera cam : gw.simulator.site().cameras()) {
            CameraProfile profile = gw.simulator.site().profile(cam.id());
            if (cam.recordingEnabled() && profile.codec == CameraProfile.Codec.H264 && !CAMERAS.containsKey(profile)) {
                Http.Answer imported = gw.http.post("/api/v1/cameras/import",
                        "{\"milestoneDeviceId\":\"" + cam.id() + "\"}");
                assertEquals(201, imported.status(), imported.body());
                CAMERAS.put(profile, new String[] {cam.id(), imported.json().getString("id")});
            }
        }
        device = CAMERAS.get(CameraProfile.FIXED_GOP)[0];
        camera = CAMERAS.get(CameraProfile.FIXED_GOP)[1];
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    /**
     * {@code path} (a {@code playback/stream} URL) signed as a control answer signs its
     * {@code playlistUrl}, so that the players load it, and its segments, with no headers at all.
     */
    static String signed(String path) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/cameras/([^/]+)/playback/stream\\?time=([^&]+)")
                .matcher(path);
        if (!m.find()) {
            throw new IllegalArgumentException(path);
        }
        String time = java.net.URLDecoder.decode(m.group(2), java.nio.charset.StandardCharsets.UTF_8);
        Http.Answer control = gw.http.post("/api/v1/cameras/" + m.group(1) + "/playback/control",
                new JsonObject().put("action", "play").put("timestamp", time).encode());
        assertEquals(200, control.status(), control.body());
        String url = control.json().getString("playlistUrl");
        String signature = url.substring(url.indexOf("&u=") + 1);
        return path + "&" + signature;
    }

    /** What hls.js saw playing {@code playlist} (signed here) for {@code seconds} of its clock. */
    private static JsonObject play(String playlist, int seconds) throws Exception {
        MediaProbe.Run run = MediaProbe.run("node", SCRIPT_DIR.resolve("play-hls.mjs").toString(), gw.http.base(),
                signed(playlist), Integer.toString(seconds));
        assertEquals(0, run.exit(), run.err());
        JsonObject r = new JsonObject(new String(run.out()).trim());
        assertEquals(0, r.getJsonArray("errors").size(), "no hls.js error event: " + r);
        return r;
    }

    private static List<RecordedSpan> spans() {
        return spans(device);
    }

    private static List<RecordedSpan> spans(String device) {
        return gw.simulator.history().spans(device, NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2)));
    }

    /** Every H.264 profile: B-frames (composition offsets), GOPs up to 10 s, 5 fps, 1 fps, jitter and drops. */
    @ParameterizedTest
    @EnumSource(value = CameraProfile.class, names = {"FIXED_GOP", "VARIABLE_GOP", "KEYFRAMES_ONLY", "FPS5",
        "JITTER_DROPS", "BFRAMES"})
    void hlsJsPlaysARecordingAtItsRecordingTime(CameraProfile profile) throws Exception {
        String[] cam = CAMERAS.get(profile);
        RecordedSpan span = spans(cam[0]).stream()
                .filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() > 120_000).findFirst().orElseThrow();
        Instant t = span.begin().plusMillis(30_250);
        JsonObject r = play(PlaybackHlsApiTest.streamPath(cam[1], t, null), 3);
        JsonObject first = r.getJsonObject("first");
        JsonObject last = r.getJsonObject("last");
        double advanced = last.getDouble("currentTime") - first.getDouble("currentTime");
        assertTrue(advanced >= 3, "currentTime advances: " + r);
        long shownFirst = first.getLong("playingDate");
        assertTrue(Math.abs(shownFirst - t.toEpochMilli()) < 500, "playback starts at the asked recording time: " + r);
        assertTrue(Math.abs(last.getLong("playingDate") - shownFirst - advanced * 1000) < 100,
                "playingDate follows currentTime at 1x: " + r);
    }

    /**
     * Server-built speeds play in a stock hls.js at 1x: the video advances, no error fires, and the
     * recording time the page derives from the playlist moves at the speed × wall time, in its direction.
     */
    @ParameterizedTest
    @ValueSource(doubles = {4, 8, -1, -2})
    void hlsJsPlaysServerBuiltSpeedsForwardAndBackward(double speed) throws Exception {
        RecordedSpan span = spans().stream()
                .filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() > 200_000).findFirst().orElseThrow();
        Instant t = span.begin().plusMillis(100_250);
        String token = speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed);
        assertRecordingTimeMovesAtTheSpeed(play(PlaybackHlsApiTest.streamPath(camera, t, null) + "&speed=" + token, 4),
                speed, t);
    }

    /**
     * What a page derived while a player played a speed: the video advanced, and the recording time
     * moved at the speed × the video's time within 5 %, from the asked time.
     */
    private static void assertRecordingTimeMovesAtTheSpeed(JsonObject r, double speed, Instant t) {
        assertEquals(speed, r.getDouble("speed"), "the page reads the speed from the playlist: " + r);
        JsonObject first = r.getJsonObject("first");
        JsonObject last = r.getJsonObject("last");
        double played = last.getDouble("currentTime") - first.getDouble("currentTime");
        assertTrue(played >= 4, "the video advances: " + r);
        double moved = last.getLong("recording") - first.getLong("recording");
        assertTrue(Math.abs(moved - speed * played * 1000) <= 0.05 * Math.abs(speed) * played * 1000,
                "recording time moves at " + speed + "x the video's time: " + r);
        assertTrue(Math.abs(first.getLong("recording") - t.toEpochMilli()) <= 1000 * Math.abs(speed) + 1000,
                "playback starts at the asked time: " + r);
    }

    /**
     * Shaka Player takes an EVENT playlist without EXT-X-ENDLIST for live; the VOD playlist of the same
     * recording it plays as a recording: not live, from the asked time, seekable, the date at its
     * playhead following the video, also after a seek.
     */
    @Test
    void shakaPlayerPlaysTheVodPlaylistAsARecording() throws Exception {
        RecordedSpan span = spans().stream()
                .filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() > 200_000).findFirst().orElseThrow();
        Instant t = span.begin().plusMillis(60_250);
        MediaProbe.Run run = MediaProbe.run("node", SCRIPT_DIR.resolve("play-shaka.mjs").toString(), gw.http.base(),
                signed(PlaybackHlsApiTest.streamPath(camera, t, null) + "&playlistType=vod"), "3", "30");
        assertEquals(0, run.exit(), run.err());
        JsonObject r = new JsonObject(new String(run.out()).trim());
        assertEquals(0, r.getJsonArray("errors").size(), "no Shaka error: " + r);
        assertEquals(false, r.getBoolean("live"), "a recording, not live: " + r);
        JsonObject range = r.getJsonObject("range");
        assertTrue(range.getDouble("end") - range.getDouble("start") >= 60, "seekable over the playlist: " + r);
        JsonObject first = r.getJsonObject("first");
        JsonObject last = r.getJsonObject("last");
        assertTrue(Math.abs(first.getLong("date") - t.toEpochMilli()) < 1000, "it starts at the asked time: " + r);
        double played = last.getDouble("currentTime") - first.getDouble("currentTime");
        assertTrue(played >= 3, "the video advances: " + r);
        assertTrue(Math.abs(last.getLong("date") - first.getLong("date") - played * 1000) < 200,
                "the date at the playhead follows the video: " + r);
        JsonObject seeked = r.getJsonObject("seeked");
        double jumped = seeked.getDouble("currentTime") - last.getDouble("currentTime");
        assertTrue(Math.abs(seeked.getLong("date") - last.getLong("date") - jumped * 1000) < 500,
                "and after a seek: " + r);

        // What the VOD playlist is for: Shaka does not play the EVENT playlist (which grows as hls.js
        // reloads it) as a recording: it is not seekable, or its date does not follow the video.
        MediaProbe.Run event = MediaProbe.run("node", SCRIPT_DIR.resolve("play-shaka.mjs").toString(),
                gw.http.base(), signed(PlaybackHlsApiTest.streamPath(camera, t.plusSeconds(90), null)), "1");
        JsonObject e = new JsonObject(new String(event.out()).trim());
        JsonObject er = e.getJsonObject("range");
        boolean seekable = er != null && er.getDouble("end") - er.getDouble("start") >= 60;
        boolean dated = e.getJsonObject("last") != null && e.getJsonObject("last").getLong("date") != null
                && Math.abs(e.getJsonObject("last").getLong("date") - e.getJsonObject("first").getLong("date")
                        - 1000 * (e.getJsonObject("last").getDouble("currentTime")
                        - e.getJsonObject("first").getDouble("currentTime"))) < 200;
        assertTrue(!(seekable && dated), "Shaka plays the EVENT playlist as a recording after all: " + e);
    }

    /** Shaka Player plays the VOD playlists of server-built speeds as hls.js plays their EVENT ones. */
    @ParameterizedTest
    @ValueSource(doubles = {4, 8, -1, -2})
    void shakaPlayerPlaysServerBuiltSpeedsForwardAndBackward(double speed) throws Exception {
        RecordedSpan span = spans().stream()
                .filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() > 200_000).findFirst().orElseThrow();
        Instant t = span.begin().plusMillis(100_250);
        String token = speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed);
        MediaProbe.Run run = MediaProbe.run("node", SCRIPT_DIR.resolve("play-shaka.mjs").toString(), gw.http.base(),
                signed(PlaybackHlsApiTest.streamPath(camera, t, null) + "&speed=" + token + "&playlistType=vod"), "4");
        assertEquals(0, run.exit(), run.err());
        JsonObject r = new JsonObject(new String(run.out()).trim());
        assertEquals(0, r.getJsonArray("errors").size(), "no Shaka error: " + r);
        assertEquals(false, r.getBoolean("live"), r.toString());
        assertRecordingTimeMovesAtTheSpeed(r, speed, t);
    }

    @Test
    void hlsJsPlaysOnAcrossAGap() throws Exception {
        List<RecordedSpan> spans = spans();
        RecordedSpan before = null;
        RecordedSpan after = null;
        for (int i = 0; i + 1 < spans.size() && before == null; i++) {
            long gap = spans.get(i + 1).begin().toEpochMilli() - spans.get(i).end().toEpochMilli();
            if (gap > 10_000 && spans.get(i).end().toEpochMilli() - spans.get(i).begin().toEpochMilli() > 20_000
                    && spans.get(i + 1).end().toEpochMilli() - spans.get(i + 1).begin().toEpochMilli() > 20_000) {
                before = spans.get(i);
                after = spans.get(i + 1);
            }
        }
        assertNotNull(before, "the history has a gap between two long spans");
        Instant t = before.end().minusSeconds(5);
        JsonObject r = play(PlaybackHlsApiTest.streamPath(camera, t, after.begin().plusSeconds(20)), 10);
        long shownLast = r.getJsonObject("last").getLong("playingDate");
        assertTrue(shownLast >= after.begin().toEpochMilli() + 3000,
                "ten seconds of play from five before the gap end up past it: " + r);
        assertTrue(shownLast < after.begin().toEpochMilli() + 8000, "the gap itself took no playing time: " + r);
    }
}
