package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.milestone.TestClock;
import com.cns.gateway.support.GatewayHarness;
import com.cns.gateway.support.Http;
import com.cns.gateway.support.MediaProbe;
import com.cns.xprotect.simulator.CameraProfile;
import com.cns.xprotect.simulator.RecordedSpan;
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
        gw = new GatewayHarness(SimulatorOptions.defaults(), Map.of(), new TestClock(NOW));
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

    static Stream<Arguments> profilesAndSpeeds() {
        List<Arguments> out = new ArrayList<>();
        for (CameraProfile p : List.of(CameraProfile.FIXED_GOP, CameraProfile.VARIABLE_GOP, CameraProfile.FPS5,
                CameraProfile.KEYFRAMES_ONLY)) {
            for (double s : new double[] {8, 2, 0.5, -1, -8}) {
                out.add(Arguments.of(p, s));
            }
        }
        return out.stream();
    }

    /** The speed as the API and the playlist write it. */
    private static String token(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }

    @ParameterizedTest(name = "{0} at {1}x")
    @MethodSource("profilesAndSpeeds")
    void everyFrameIsARecordedKeyframeAtThePresentationTimeItsSpeedGives(CameraProfile profile, double speed)
            throws Exception {
        String camera = CAMERAS.get(profile);
        String device = DEVICES.get(profile);
        RecordedSpan span = gw.simulator.history().spans(device, NOW.minus(Duration.ofDays(3)),
                NOW.minus(Duration.ofDays(2))).stream()
                .filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() >= 200_000).findFirst().orElseThrow();
        boolean back = speed < 0;
        double m = Math.abs(speed);
        Instant t = span.begin().plusMillis(100_517);
        Http.Answer a = gw.http.get(PlaybackHlsApiTest.streamPath(camera, t, null) + "&speed=" + token(speed));
        assertEquals(200, a.status(), a.body());
        assertTrue(a.body().contains("#EXT-X-CNS-SPEED:" + token(speed) + "\n"), a.body());
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
}
