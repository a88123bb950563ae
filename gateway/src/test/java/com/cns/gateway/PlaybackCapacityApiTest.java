package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.TestClock;
import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.gateway.support.MediaProbe;
import com.cns.xprotect.simulator.CameraProfile;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatedSite;
import com.cns.xprotect.simulator.SimulatorOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With one transcode worker and viewers opening smooth playlists at once, windows decided while
 * more than two transcodes are waited for are made keyframes only (named so, a discontinuity at the
 * change of mode, listed so on reload), counted as fallbacks, and play; nothing waits without bound.
 */
class PlaybackCapacityApiTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:34:56.789Z");
    private static GatewayHarness gw;
    private static String camera;
    private static String device;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness(SimulatorOptions.defaults(), Map.of("PLAYBACK_TRANSCODE_WORKERS", "1"),
                new TestClock(NOW));
        SimulatedSite.Camera c = gw.simulator.site().cameras().stream().filter(x -> x.recordingEnabled()
                && gw.simulator.site().profile(x.id()) == CameraProfile.FIXED_GOP).findFirst().orElseThrow();
        Http.Answer a = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + c.id() + "\"}");
        assertEquals(201, a.status(), a.body());
        camera = a.json().getString("id");
        device = c.id();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @Test
    void smoothWindowsBeyondTheTranscodeWorkersFallBackToKeyframesOnly() throws Exception {
        List<RecordedSpan> spans = gw.simulator.history().spans(device, NOW.minus(Duration.ofDays(3)),
                NOW.minus(Duration.ofDays(2))).stream()
                .filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() >= 120_000).limit(6).toList();
        assertTrue(spans.size() >= 4, "recorded spans: " + spans.size());
        // Viewers opening 2x at new moments at once: their windows keep the one worker busy, and more
        // than two transcodes viewers wait for.
        java.util.concurrent.ExecutorService viewers = java.util.concurrent.Executors.newFixedThreadPool(spans.size());
        List<java.util.concurrent.Future<Http.Answer>> opened = new java.util.ArrayList<>();
        for (RecordedSpan s : spans) {
            opened.add(viewers.submit(() -> gw.http.get(PlaybackHlsApiTest.streamPath(camera, s.begin().plusSeconds(40),
                    null) + "&speed=2")));
        }
        viewers.shutdown();
        int withFallback = 0;
        for (int i = 0; i < opened.size(); i++) {
            Http.Answer a = opened.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, a.status(), a.body());
            PlaybackHlsApiTest.Playlist pl = PlaybackHlsApiTest.parse(a.body());
            List<String> uris = pl.segments().stream().map(PlaybackHlsApiTest.Entry::uri).toList();
            assertTrue(uris.stream().allMatch(u -> u.startsWith("hls/v1/2s/") || u.startsWith("hls/v1/2k/")), a.body());
            for (int j = 1; j < uris.size(); j++) {
                boolean change = !uris.get(j).regionMatches(0, uris.get(j - 1), 0, "hls/v1/2s/".length());
                if (change) {
                    assertTrue(pl.segments().get(j).discontinuity(), "a discontinuity marks the change of mode: "
                            + a.body());
                }
            }
            if (uris.stream().noneMatch(u -> u.startsWith("hls/v1/2k/"))) {
                continue;
            }
            withFallback++;
            for (PlaybackHlsApiTest.Entry e : pl.segments()) {
                var got = gw.http.bytes("/api/v1/cameras/" + camera + "/playback/" + e.uri());
                assertEquals(200, got.statusCode(), e.uri() + " answered " + got.statusCode());
                MediaProbe.Segment s = MediaProbe.segment(got.body());
                assertEquals("", s.warnings(), e.uri());
                assertTrue(s.startsWithIdr(), e.uri());
            }
            Http.Answer again = gw.http.get(PlaybackHlsApiTest.streamPath(camera, spans.get(i).begin().plusSeconds(40),
                    null) + "&speed=2");
            List<String> reloaded = PlaybackHlsApiTest.parse(again.body()).segments().stream()
                    .map(PlaybackHlsApiTest.Entry::uri).toList();
            assertEquals(uris, reloaded.subList(0, uris.size()), "a reload lists each window as it was made");
        }
        assertTrue(withFallback >= 1, "some windows made while the worker was busy are keyframes only");
        String metrics = gw.http.get("/metrics").body();
        double fallbacks = metrics.lines().filter(l -> l.startsWith("gateway_playback_fallbacks_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertTrue(fallbacks >= 1, "fallbacks are counted: " + fallbacks);
    }
}
