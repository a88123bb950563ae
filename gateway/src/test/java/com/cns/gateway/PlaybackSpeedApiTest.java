package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.TestClock;
import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.gateway.support.MediaProbe;
import com.cns.xprotect.simulator.CameraProfile;
import com.cns.xprotect.simulator.SimulatedSite;
import com.cns.xprotect.simulator.SimulatorOptions;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Server-built speeds through HTTP against the simulator: every speed but 1x is a keyframes-only
 * rendition, and what ffprobe and ffmpeg read of its segments must be true to the recording. Each
 * frame is a recorded keyframe (its SEI says which), in the speed's direction, none twice across
 * segments, at the presentation time the speed gives its recording time; the playlist's dates,
 * EXTINFs and start offset agree with the frames.
 */
class PlaybackSpeedApiTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:34:56.789Z");
    private static final long WRAP = 1L << 33;
    private static GatewayHarness gw;
    private static final Map<CameraProfile, String> CAMERAS = new EnumMap<>(CameraProfile.class);
    private static final Map<CameraProfile, String> DEVICES = new EnumMap<>(CameraProfile.class);

    @BeforeAll
    static void start() throws Exception {
        // Workers enough that no smooth window falls back to keyframes only (PlaybackCapacityApiTest tests that).
        gw = new GatewayHarness(SimulatorOptions.defaults(), Map.of("PLAYBACK_TRANSCODE_WORKERS", "16"),
                new TestClock(NOW));
        for (SimulatedSite.Camera c : gw.simulator.site().cameras()) {
            CameraProfile p = gw.simulator.site().profile(c.id());
            if (c.enabled() && c.recordingEnabled() && !CAMERAS.containsKey(p)) {
                Http.Answer a = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + c.id() + "\"}");
                assertEquals(201, a.status(), a.body());
                CAMERAS.put(p, a.json().getString("id"));
                DEVICES.put(p, c.id());
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    /** H.264 cameras at the speeds played keyframes only (above PLAYBACK_SMOOTH_MAX_SPEED, 2 by default). */
    static Stream<Arguments> keyframeSpeeds() {
        List<Arguments> out = new ArrayList<>();
        for (CameraProfile p : List.of(CameraProfile.FIXED_GOP, CameraProfile.VARIABLE_GOP, CameraProfile.FPS5,
                CameraProfile.KEYFRAMES_ONLY, CameraProfile.BFRAMES, CameraProfile.JITTER_DROPS)) {
            for (double s : new double[] {8, 4, -4, -8}) {
                out.add(Arguments.of(p, s));
            }
        }
        return out.stream();
    }

    /** Transcoded renditions: smooth speeds of every profile, and every speed of H.265 and JPEG cameras. */
    static Stream<Arguments> transcodedSpeeds() {
        List<Arguments> out = new ArrayList<>();
        for (CameraProfile p : List.of(CameraProfile.FIXED_GOP, CameraProfile.VARIABLE_GOP, CameraProfile.FPS5,
                CameraProfile.BFRAMES, CameraProfile.JITTER_DROPS, CameraProfile.H265, CameraProfile.JPEG)) {
            for (double s : new double[] {2, 0.5, -1, -2}) {
                out.add(Arguments.of(p, s));
            }
        }
        for (CameraProfile p : List.of(CameraProfile.H265, CameraProfile.JPEG)) {
            for (double s : new double[] {1, 8, -8}) {
                out.add(Arguments.of(p, s));
            }
        }
        return out.stream();
    }

    /**
     * The playlist as a player has it once it lists three segments: fetched, its segments fetched (a
     * viewer's requests keep the playlist ahead of it), reloaded.
     */
    private static Http.Answer playlistOfThree(String camera, String path) throws Exception {
        Http.Answer a = gw.http.get(path);
        for (int reload = 0; reload < 10; reload++) {
            assertEquals(200, a.status(), a.body());
            PlaybackHlsApiTest.Playlist pl = PlaybackHlsApiTest.parse(a.body());
            if (pl.segments().size() >= 3 || pl.ended()) {
                return a;
            }
            for (PlaybackHlsApiTest.Entry e : pl.segments()) {
                assertEquals(200, gw.http.bytes("/api/v1/cameras/" + camera + "/playback/" + e.uri()).statusCode());
            }
            a = gw.http.get(path);
        }
        return a;
    }

    /** A time 100.5 s into a recording run of at least 200 s, two to three days back. */
    private static Instant askedTime(String device) {
        return gw.simulator.history().spans(device, NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2)))
                .stream().filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() >= 200_000).findFirst()
                .orElseThrow().begin().plusMillis(100_517);
    }

    /** The playlist at {@code t} and {@code speed} once it lists three segments; it states its speed. */
    private static Http.Answer playlistAt(String camera, Instant t, double speed) throws Exception {
        Http.Answer a = playlistOfThree(camera, PlaybackHlsApiTest.streamPath(camera, t, null) + "&speed="
                + token(speed));
        assertTrue(a.body().contains("#EXT-X-CNS-SPEED:" + token(speed) + "\n"), a.body());
        return a;
    }

    /** The speed as the API and the playlist write it. */
    private static String token(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }

    @ParameterizedTest(name = "{0} at {1}x")
    @MethodSource("keyframeSpeeds")
    void everyFrameIsARecordedKeyframeAtThePresentationTimeItsSpeedGives(CameraProfile profile, double speed)
            throws Exception {
        String camera = CAMERAS.get(profile);
        String device = DEVICES.get(profile);
        boolean back = speed < 0;
        double m = Math.abs(speed);
        Instant t = askedTime(device);
        Http.Answer a = playlistAt(camera, t, speed);
        assertTrue(a.body().contains("#EXT-X-CNS-MODE:keyframes\n"), a.body());
        PlaybackHlsApiTest.Playlist pl = PlaybackHlsApiTest.parse(a.body());
        assertTrue(pl.segments().size() >= 2, a.body());

        List<Long> shown = new ArrayList<>();
        List<Long> firstPts = new ArrayList<>();
        long firstPtsOfAll = -1;
        long lastPts = -1;
        for (PlaybackHlsApiTest.Entry e : pl.segments()) {
            HttpResponse<byte[]> r = gw.http.bytes("/api/v1/cameras/" + camera + "/playback/" + e.uri());
            assertEquals(200, r.statusCode(), e.uri());
            MediaProbe.Segment s = MediaProbe.segment(r.body());
            assertEquals("", s.warnings(), e.uri() + " reads with no warning");
            assertTrue(s.startsWithIdr() && s.packets().stream().allMatch(MediaProbe.Packet::key), "IDRs only");
            long spanMs = Math.round(e.durationMs() * m);
            long from = back ? e.pdtMs() - spanMs : e.pdtMs();
            List<Long> keyframes = gw.simulator.recordedKeyframeTimes(device, from, from + spanMs);
            List<Long> expected = new ArrayList<>(keyframes);
            if (back) {
                Collections.reverse(expected);
            }
            assertEquals(expected, s.seiTimes(), e.uri() + ": the recorded keyframes of its span, in playing order");
            if (!back) {
                assertEquals(e.pdtMs(), (long) s.seiTimes().get(0), "PROGRAM-DATE-TIME is the first frame's time");
            }
            for (int i = 0; i < s.packets().size(); i++) {
                long spanEnd = i == 0 ? e.pdtMs() : s.seiTimes().get(i - 1);
                long want = back ? Math.floorMod(Math.round(-spanEnd / m * 90), WRAP)
                        : Math.floorMod(Math.round(s.seiTimes().get(i) / m * 90), WRAP);
                assertEquals(want, Math.floorMod(s.packets().get(i).pts(), WRAP), e.uri() + " frame " + i
                        + ": PTS is a function of recording time");
            }
            firstPts.add(Math.floorMod(s.packets().get(0).pts(), WRAP));
            if (firstPtsOfAll < 0) {
                firstPtsOfAll = firstPts.get(0);
            }
            shown.addAll(s.seiTimes());
            lastPts = Math.floorMod(s.packets().get(s.packets().size() - 1).pts(), WRAP);
        }
        // EXTINF is each segment's real presentation span: from its first frame to the next segment's.
        for (int i = 0; i + 1 < firstPts.size(); i++) {
            long real = Math.round(Math.floorMod(firstPts.get(i + 1) - firstPts.get(i), WRAP) / 90.0);
            assertTrue(Math.abs(real - pl.segments().get(i).durationMs()) <= 1,
                    "EXTINF " + pl.segments().get(i).durationMs() + " ms, frames span " + real + " ms");
        }
        Set<Long> distinct = new HashSet<>(shown);
        assertEquals(shown.size(), distinct.size(), "no frame twice across segments");
        for (int i = 1; i < shown.size(); i++) {
            assertTrue(back ? shown.get(i) < shown.get(i - 1) : shown.get(i) > shown.get(i - 1),
                    "recording time runs strictly in the speed's direction");
        }
        // The frame shown at EXT-X-START is the keyframe at or before T.
        List<Long> upToT = gw.simulator.recordedKeyframeTimes(device, t.toEpochMilli() - 20_000, t.toEpochMilli() + 1);
        long keyframeAtT = upToT.get(upToT.size() - 1);
        long startPts = Math.floorMod(firstPtsOfAll + pl.startOffsetMs() * 90, WRAP);
        MediaProbe.Segment first = MediaProbe.segment(gw.http.bytes("/api/v1/cameras/" + camera + "/playback/"
                + pl.segments().get(0).uri()).body());
        long atStart = -1;
        for (int i = 0; i < first.packets().size(); i++) {
            if (Math.floorMod(startPts - Math.floorMod(first.packets().get(i).pts(), WRAP), WRAP) < WRAP / 2) {
                atStart = first.seiTimes().get(i);
            }
        }
        assertEquals(keyframeAtT, atStart, "the frame at EXT-X-START is the keyframe at or before T");
        if (!(back && profile == CameraProfile.VARIABLE_GOP)) {
            // Recording time moves at the speed times presentation time, within 2 % (backward, each
            // keyframe is shown from the end of its GOP, so the measure needs steady GOPs).
            long recorded = Math.abs(shown.get(shown.size() - 1) - shown.get(0));
            double presented = Math.floorMod(lastPts - firstPtsOfAll, WRAP) / 90.0;
            assertTrue(Math.abs(recorded / presented - m) <= 0.02 * m, "rate " + recorded / presented + " vs " + m);
        }
    }

    /**
     * A transcoded segment plays 25 frames a second of output time, on one 40 ms grid, each frame the
     * recorded frame (any kind when smooth, keyframes otherwise) whose span holds the recording time
     * its output time stands for: forward the last at or before it, backward the last before it.
     */
    @ParameterizedTest(name = "{0} at {1}x")
    @MethodSource("transcodedSpeeds")
    void transcodedFramesShowTheRecordedFrameOfTheirRecordingTime(CameraProfile profile, double speed)
            throws Exception {
        String camera = CAMERAS.get(profile);
        String device = DEVICES.get(profile);
        boolean back = speed < 0;
        double m = Math.abs(speed);
        Instant t = askedTime(device);
        Http.Answer a = playlistAt(camera, t, speed);
        boolean smooth = a.body().contains("#EXT-X-CNS-MODE:smooth\n");
        assertTrue(smooth || m > 2 && a.body().contains("#EXT-X-CNS-MODE:keyframes\n"), a.body());
        PlaybackHlsApiTest.Playlist pl = PlaybackHlsApiTest.parse(a.body());
        assertTrue(pl.segments().size() >= 2, a.body());

        List<Long> shown = new ArrayList<>();
        Set<Long> earlier = new HashSet<>();
        long firstPts = -1;
        long lastPts = -1;
        for (int i = 0; i + 1 < pl.segments().size(); i++) {
            PlaybackHlsApiTest.Entry e = pl.segments().get(i);
            PlaybackHlsApiTest.Entry next = pl.segments().get(i + 1);
            // Contiguous segments: this one's span ends where the next one's starts.
            long first = back ? next.pdtMs() : e.pdtMs();
            long end = back ? e.pdtMs() : next.pdtMs();
            HttpResponse<byte[]> r = gw.http.bytes("/api/v1/cameras/" + camera + "/playback/" + e.uri());
            assertEquals(200, r.statusCode(), e.uri());
            MediaProbe.Segment s = MediaProbe.segment(r.body());
            assertEquals("", s.warnings(), e.uri() + " reads with no warning");
            assertTrue(s.startsWithIdr(), e.uri() + " starts with an IDR");
            List<Long> sources = smooth ? gw.simulator.recordedFrameTimes(device, first, end)
                    : gw.simulator.recordedKeyframeTimes(device, first, end);
            long[] times = sources.stream().mapToLong(Long::longValue).sorted().toArray();
            List<Long> wantSei = new ArrayList<>();
            List<Long> wantPts = new ArrayList<>();
            double from = back ? end / speed : first / speed;
            double to = back ? first / speed : end / speed;
            for (long k = (long) Math.ceil(from / 40); k * 40 < to; k++) {
                double at = k * 40 * speed;
                long pick = -1;
                for (long x : times) {
                    if (back ? x < at : x <= at) {
                        pick = x;
                    }
                }
                wantSei.add(pick);
                wantPts.add(Math.floorMod(k * 3600, WRAP));
            }
            assertEquals(wantSei, s.seiTimes(), e.uri() + ": each frame shows the recorded frame of its time");
            assertEquals(wantPts, s.packets().stream().map(p -> Math.floorMod(p.pts(), WRAP)).toList(),
                    e.uri() + ": one frame every 40 ms of output, PTS from recording time");
            assertTrue(Math.abs(e.durationMs() - wantPts.size() * 40L) <= 40, "EXTINF " + e.durationMs()
                    + " ms within a frame of the " + wantPts.size() + " frames' span");
            for (long x : s.seiTimes()) {
                assertFalse(earlier.contains(x), "frame " + x + " is in no other segment");
            }
            earlier.addAll(s.seiTimes());
            shown.addAll(s.seiTimes());
            if (firstPts < 0) {
                firstPts = wantPts.get(0);
            }
            lastPts = wantPts.get(wantPts.size() - 1);
        }
        for (int i = 1; i < shown.size(); i++) {
            assertTrue(back ? shown.get(i) <= shown.get(i - 1) : shown.get(i) >= shown.get(i - 1),
                    "recording time never runs against the speed's direction");
        }
        long recorded = Math.abs(shown.get(shown.size() - 1) - shown.get(0));
        double presented = Math.floorMod(lastPts - firstPts, WRAP) / 90.0;
        long frame = smooth ? profile.slotMs : 1000;
        assertTrue(Math.abs(recorded - m * presented) <= 0.02 * m * presented + frame + 40 * m,
                "recording time moves at " + m + "x presentation time: " + recorded + " ms in " + presented + " ms");
        // The frame at EXT-X-START is the one shown at T.
        List<Long> upToT = smooth ? gw.simulator.recordedFrameTimes(device, t.toEpochMilli() - 20_000, t.toEpochMilli() + 1)
                : gw.simulator.recordedKeyframeTimes(device, t.toEpochMilli() - 20_000, t.toEpochMilli() + 1);
        long atT = upToT.stream().mapToLong(Long::longValue).max().orElseThrow();
        PlaybackHlsApiTest.Entry e0 = pl.segments().get(0);
        MediaProbe.Segment s0 = MediaProbe.segment(gw.http.bytes("/api/v1/cameras/" + camera + "/playback/"
                + e0.uri()).body());
        long startPts = Math.floorMod(s0.packets().get(0).pts() + pl.startOffsetMs() * 90, WRAP);
        long atStart = -1;
        for (int i = 0; i < s0.packets().size(); i++) {
            if (Math.floorMod(startPts - Math.floorMod(s0.packets().get(i).pts(), WRAP), WRAP) < WRAP / 2) {
                atStart = s0.seiTimes().get(i);
            }
        }
        assertTrue(Math.abs(atStart - atT) <= Math.max(40 * m, profile.slotMs), "the frame at EXT-X-START ("
                + atStart + ") is the one recorded at T (" + atT + "), within an output frame");
    }
}
