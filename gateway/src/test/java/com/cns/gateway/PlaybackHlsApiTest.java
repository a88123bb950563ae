package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HLS playback at 1x through HTTP against the simulator, for every camera profile, proved by what
 * Debian's ffprobe and ffmpeg read: every frame the simulator recorded in each segment's window, in
 * order, each segment starting with an IDR, PTS equal to each frame's recording time (read back from
 * its SEI), PROGRAM-DATE-TIME equal to the first frame's time, the start offset on the last frame at
 * or before the asked time, and no warning.
 */
class PlaybackHlsApiTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:34:56.789Z");
    private static final TestClock CLOCK = new TestClock(NOW);
    private static final Pattern PDT = Pattern.compile("#EXT-X-PROGRAM-DATE-TIME:(.+)");
    private static GatewayHarness gw;
    private static final Map<CameraProfile, String> CAMERAS = new EnumMap<>(CameraProfile.class);
    private static final Map<CameraProfile, String> DEVICES = new EnumMap<>(CameraProfile.class);
    private static String idleCamera;

    /** A playlist as a player reads it. */
    record Playlist(int targetDuration, long startOffsetMs, List<Entry> segments, boolean ended, String text) {
    }

    record Entry(String uri, long pdtMs, long durationMs, boolean discontinuity) {
    }

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness(SimulatorOptions.defaults(), Map.of(), CLOCK);
        for (SimulatedSite.Camera c : gw.simulator.site().cameras()) {
            CameraProfile p = gw.simulator.site().profile(c.id());
            if (c.enabled() && c.recordingEnabled() && !CAMERAS.containsKey(p)) {
                CAMERAS.put(p, importCamera(c.id()));
                DEVICES.put(p, c.id());
            } else if (idleCamera == null && c.enabled() && !c.recordingEnabled()) {
                idleCamera = importCamera(c.id());
            }
        }
        assertEquals(CameraProfile.values().length - 1, CAMERAS.size(),
                "every profile but the opt-in HD one is on a recording camera");
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static String importCamera(String device) throws Exception {
        Http.Answer a = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + device + "\"}");
        assertEquals(201, a.status(), a.body());
        return a.json().getString("id");
    }

    /** A recorded span at least {@code minMs} long, two to three days back. */
    private static RecordedSpan longSpan(String device, long minMs, int skip) {
        return gw.simulator.history().spans(device, NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2)))
                .stream().filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() >= minMs).skip(skip)
                .findFirst().orElseThrow();
    }

    static String streamPath(String camera, Instant time, Instant end) {
        return "/api/v1/cameras/" + camera + "/playback/stream?time=" + enc(time)
                + (end == null ? "" : "&endTime=" + enc(end));
    }

    private static String enc(Instant t) {
        return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
    }

    static Playlist parse(String text) {
        int td = -1;
        long offset = 0;
        List<Entry> out = new ArrayList<>();
        long pdt = -1;
        long dur = -1;
        boolean disc = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                td = Integer.parseInt(line.substring(22));
            } else if (line.startsWith("#EXT-X-START:TIME-OFFSET=")) {
                offset = Math.round(Double.parseDouble(line.substring(25).split(",")[0]) * 1000);
            } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                disc = true;
            } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                Matcher m = PDT.matcher(line);
                assertTrue(m.matches());
                pdt = Instant.parse(m.group(1)).toEpochMilli();
            } else if (line.startsWith("#EXTINF:")) {
                dur = Math.round(Double.parseDouble(line.substring(8).split(",")[0]) * 1000);
            } else if (!line.startsWith("#") && !line.isBlank()) {
                assertTrue(pdt >= 0 && dur >= 0, "every segment has a PROGRAM-DATE-TIME and an EXTINF: " + text);
                out.add(new Entry(line, pdt, dur, disc));
                pdt = -1;
                dur = -1;
                disc = false;
            }
        }
        return new Playlist(td, offset, out, text.contains("#EXT-X-ENDLIST"), text);
    }

    private static Playlist playlist(String camera, Instant time, Instant end) throws Exception {
        Http.Answer a = gw.http.get(streamPath(camera, time, end));
        assertEquals(200, a.status(), a.body());
        assertEquals("application/vnd.apple.mpegurl", a.header("Content-Type"));
        return parse(a.body());
    }

    /**
     * The playlist as a player ends up with it: fetched, its segments fetched, reloaded, until it
     * ends; an EVENT playlist only ever grows, so each reload starts with the last one's entries.
     */
    private static Playlist playedThrough(String camera, Instant time, Instant end) throws Exception {
        Playlist pl = playlist(camera, time, end);
        for (int round = 0; round < 20 && !pl.ended(); round++) {
            for (Entry e : pl.segments()) {
                assertEquals(200, gw.http.bytes(segmentPath(camera, e)).statusCode(), e.uri());
            }
            Playlist next = playlist(camera, time, end);
            assertEquals(pl.segments(), next.segments().subList(0, pl.segments().size()), "EVENT playlists only append");
            assertEquals(pl.targetDuration(), next.targetDuration(), "the target duration is fixed");
            pl = next;
        }
        return pl;
    }

    private static String segmentPath(String camera, Entry e) {
        return "/api/v1/cameras/" + camera + "/playback/" + e.uri();
    }

    @ParameterizedTest
    @EnumSource(value = CameraProfile.class, names = {"FIXED_GOP", "VARIABLE_GOP", "KEYFRAMES_ONLY", "FPS5",
        "JITTER_DROPS", "BFRAMES"})
    void everySegmentHoldsExactlyTheRecordedFramesWithRecordingTimePts(CameraProfile profile) throws Exception {
        String camera = CAMERAS.get(profile);
        String device = DEVICES.get(profile);
        RecordedSpan span = longSpan(device, 90_000, 0);
        Instant t = span.begin().plusMillis(20_517);
        Instant end = t.plusSeconds(30);
        Playlist pl = playedThrough(camera, t, end);
        assertTrue(pl.ended(), "ends at endTime: " + pl.text());
        assertEquals(14, pl.targetDuration(), "grid 4 s + longest GOP 10 s");
        assertTrue(pl.segments().size() >= 3, pl.text());

        MediaProbe.Run whole = MediaProbe.countFrames(gw.http.base() + streamPath(camera, t, end), gw.http.token());
        assertEquals(0, whole.exit(), whole.err());
        assertEquals("", whole.err().trim(), "ffprobe reads the playlist with no warning");

        int total = 0;
        long previousLast = -1;
        for (int i = 0; i < pl.segments().size(); i++) {
            Entry e = pl.segments().get(i);
            assertTrue(e.durationMs() <= pl.targetDuration() * 1000L, "EXTINF within the target duration");
            HttpResponse<byte[]> r = gw.http.bytes(segmentPath(camera, e));
            assertEquals(200, r.statusCode(), e.uri());
            assertEquals("video/mp2t", r.headers().firstValue("Content-Type").orElse(""));
            MediaProbe.Segment s = MediaProbe.segment(r.body());
            assertEquals("", s.warnings(), e.uri() + " reads with no warning");
            List<Long> expected = gw.simulator.recordedFrameTimes(device, e.pdtMs(), e.pdtMs() + e.durationMs());
            assertEquals(expected, s.seiTimes(), e.uri() + ": every recorded frame of the window, in decode order");
            assertEquals(expected.size(), s.packets().size());
            assertTrue(s.startsWithIdr() && s.packets().get(0).key(), e.uri() + " starts with an IDR");
            assertEquals(e.pdtMs(), expected.get(0), "PROGRAM-DATE-TIME is the first frame's recording time");
            long lastDts = Long.MIN_VALUE;
            for (int k = 0; k < expected.size(); k++) {
                MediaProbe.Packet p = s.packets().get(k);
                assertEquals(expected.get(k) * 90 % (1L << 33), p.pts(), "PTS = recording time ms × 90");
                assertTrue(p.dts() <= p.pts() && p.dts() > lastDts, "DTS rises in decode order, never after PTS");
                lastDts = p.dts();
            }
            long first = Collections.min(expected);
            long last = Collections.max(expected);
            assertTrue(Math.abs(e.durationMs() - (last + profile.slotMs - first)) <= profile.slotMs,
                    e.uri() + ": EXTINF " + e.durationMs() + " within one frame of the frames' span");
            if (previousLast >= 0) {
                long step = first - previousLast;
                assertTrue(step > 0 && step <= 2 * profile.slotMs + 3, "PTS steps by a frame interval across "
                        + "segments (drops aside): " + step);
            }
            previousLast = last;
            total += expected.size();
        }
        assertEquals(Integer.toString(total), new String(whole.out()).trim().split("\n")[0].trim(),
                "ffprobe decodes every frame of the playlist");

        Entry first = pl.segments().get(0);
        long shownAtStart = first.pdtMs() + pl.startOffsetMs();
        assertEquals(t.toEpochMilli(), shownAtStart, "EXT-X-START places the playhead at the asked time");
        List<Long> before = gw.simulator.recordedFrameTimes(device, first.pdtMs(), t.toEpochMilli() + 1);
        long lastAtOrBefore = Collections.max(before);
        MediaProbe.Segment s0 = MediaProbe.segment(gw.http.bytes(segmentPath(camera, first)).body());
        long shown = s0.seiTimes().stream().filter(x -> x <= shownAtStart).max(Long::compare).orElseThrow();
        assertEquals(lastAtOrBefore, shown, "the frame at EXT-X-START is the last recorded at or before T");
    }

    @ParameterizedTest
    @EnumSource(value = CameraProfile.class, names = {"H265", "JPEG"})
    void camerasNotRecordingH264PlayTranscodedToH264At1x(CameraProfile profile) throws Exception {
        RecordedSpan span = longSpan(DEVICES.get(profile), 30_000, 0);
        Instant t = span.begin().plusSeconds(10);
        Playlist pl = playlist(CAMERAS.get(profile), t, t.plusSeconds(8));
        assertTrue(pl.text().contains("#EXT-X-CNS-SPEED:1\n#EXT-X-CNS-MODE:smooth\n"), pl.text());
        Entry first = pl.segments().get(0);
        assertTrue(first.uri().startsWith("hls/v1/1s/"), first.uri());
        MediaProbe.Segment s = MediaProbe.segment(gw.http.bytes(segmentPath(CAMERAS.get(profile), first)).body());
        assertEquals("", s.warnings());
        assertTrue(s.startsWithIdr());
        assertEquals(first.pdtMs(), (long) s.seiTimes().get(0), "the first frame shows the window's first picture");
        List<Long> recorded = gw.simulator.recordedFrameTimes(DEVICES.get(profile), first.pdtMs(),
                first.pdtMs() + first.durationMs());
        assertTrue(recorded.containsAll(s.seiTimes()), "every frame shows a recorded picture: " + s.seiTimes());
        assertEquals(new HashSet<>(recorded), new HashSet<>(s.seiTimes()), "and every recorded picture is shown");
    }

    @Test
    void aGapBecomesADiscontinuityAndPlaybackResumesAfterIt() throws Exception {
        String device = DEVICES.get(CameraProfile.FIXED_GOP);
        List<RecordedSpan> spans = gw.simulator.history().spans(device, NOW.minus(Duration.ofDays(3)),
                NOW.minus(Duration.ofDays(2)));
        RecordedSpan a = null;
        RecordedSpan b = null;
        for (int i = 0; i + 1 < spans.size(); i++) {
            long gap = spans.get(i + 1).begin().toEpochMilli() - spans.get(i).end().toEpochMilli();
            if (gap > 5_000 && gap < 600_000 && spans.get(i).end().toEpochMilli() - spans.get(i).begin().toEpochMilli()
                    > 20_000 && spans.get(i + 1).end().toEpochMilli() - spans.get(i + 1).begin().toEpochMilli() > 20_000) {
                a = spans.get(i);
                b = spans.get(i + 1);
                break;
            }
        }
        assertNotNull(a, "the history has a gap between two long spans");
        Instant t = a.end().minusSeconds(9);
        Instant end = b.begin().plusSeconds(9);
        String camera = CAMERAS.get(CameraProfile.FIXED_GOP);
        Playlist pl = playedThrough(camera, t, end);
        assertTrue(pl.ended(), pl.text());
        int discontinuities = 0;
        for (Entry e : pl.segments()) {
            if (e.discontinuity()) {
                discontinuities++;
                assertEquals(b.begin().toEpochMilli(), e.pdtMs(), "the segment after the gap starts where recording resumes");
            }
        }
        assertEquals(1, discontinuities, pl.text());
        MediaProbe.Run whole = MediaProbe.countFrames(gw.http.base() + streamPath(camera, t, end), gw.http.token());
        assertEquals("", whole.err().trim(), "ffprobe crosses the gap with no warning");
        int expected = 0;
        for (Entry e : pl.segments()) {
            expected += gw.simulator.recordedFrameTimes(device, e.pdtMs(), e.pdtMs() + e.durationMs()).size();
        }
        assertEquals(Integer.toString(expected), new String(whole.out()).trim().split("\n")[0].trim());
    }

    @Test
    void aRecordingThatResumesMidGopIsListedFromItsFirstKeyframe() throws Exception {
        // The second camera of the plain profile, so that no other test shares its cached segments.
        SimulatedSite.Camera cam = gw.simulator.site().cameras().stream()
                .filter(c -> c.recordingEnabled() && gw.simulator.site().profile(c.id()) == CameraProfile.FIXED_GOP)
                .skip(1).findFirst().orElseThrow();
        String camera = importCamera(cam.id());
        List<RecordedSpan> spans = gw.simulator.history().spans(cam.id(), NOW.minus(Duration.ofDays(3)),
                NOW.minus(Duration.ofDays(2)));
        RecordedSpan after = null;
        RecordedSpan before = null;
        for (int i = 0; i + 1 < spans.size() && after == null; i++) {
            long gap = spans.get(i + 1).begin().toEpochMilli() - spans.get(i).end().toEpochMilli();
            if (gap > 5_000 && spans.get(i).end().toEpochMilli() - spans.get(i).begin().toEpochMilli() > 20_000
                    && spans.get(i + 1).end().toEpochMilli() - spans.get(i + 1).begin().toEpochMilli() > 30_000) {
                before = spans.get(i);
                after = spans.get(i + 1);
            }
        }
        assertNotNull(after, "the history has a gap between two long spans");
        gw.simulator.resumeMidGop(cam.id(), true);
        try {
            Instant t = before.end().minusSeconds(6);
            Instant end = after.begin().plusSeconds(15);
            Playlist pl = playedThrough(camera, t, end);
            assertTrue(pl.ended(), pl.text());
            Entry resumed = pl.segments().stream().filter(Entry::discontinuity).findFirst().orElseThrow();
            assertEquals(after.begin().toEpochMilli() + 1000, resumed.pdtMs(),
                    "the first segment after the gap starts at the recording's first keyframe");
            for (Entry e : pl.segments()) {
                MediaProbe.Segment seg = MediaProbe.segment(gw.http.bytes(segmentPath(camera, e)).body());
                assertEquals("", seg.warnings());
                assertTrue(seg.startsWithIdr(), e.uri());
                assertEquals(gw.simulator.recordedFrameTimes(cam.id(), e.pdtMs(), e.pdtMs() + e.durationMs()),
                        seg.seiTimes(), e.uri());
            }
            MediaProbe.Run whole = MediaProbe.countFrames(gw.http.base() + streamPath(camera, t, end), gw.http.token());
            assertEquals("", whole.err().trim());
        } finally {
            gw.simulator.resumeMidGop(cam.id(), false);
        }
    }

    @Test
    void damagedFramesBecomeAGapAndPlaybackGoesOn() throws Exception {
        String device = DEVICES.get(CameraProfile.FIXED_GOP);
        String camera = CAMERAS.get(CameraProfile.FIXED_GOP);
        RecordedSpan span = longSpan(device, 120_000, 4);
        long broken = (span.begin().toEpochMilli() / 4000 + 5) * 4000 + 1000;
        gw.simulator.brokenFrames(device, broken, broken + 2000);
        try {
            Instant t = span.begin().plusSeconds(8);
            Instant end = t.plusSeconds(30);
            Playlist pl = playedThrough(camera, t, end);
            assertTrue(pl.ended(), pl.text());
            long discontinuities = pl.segments().stream().filter(Entry::discontinuity).count();
            assertTrue(discontinuities >= 1, "the damaged window is a gap: " + pl.text());
            for (Entry e : pl.segments()) {
                assertTrue(e.pdtMs() + e.durationMs() <= broken || e.pdtMs() >= broken + 2000,
                        e.uri() + " holds no damaged frame");
            }
            MediaProbe.Run whole = MediaProbe.countFrames(gw.http.base() + streamPath(camera, t, end), gw.http.token());
            assertEquals("", whole.err().trim(), "ffprobe plays across the gap with no warning");
            Http.Answer direct = gw.http.get("/api/v1/cameras/" + camera + "/playback/hls/v1/1/" + (broken - 1000)
                    + "_4000.ts");
            assertEquals(502, direct.status(), direct.body());
            assertTrue(direct.json().getString("detail").contains("damaged"), direct.body());
        } finally {
            gw.simulator.brokenFrames(device, 0, 0);
        }
    }

    @Test
    void segmentsAreNamedByTheirWindowCachedOnceAndImmutableWhenSealed() throws Exception {
        String camera = CAMERAS.get(CameraProfile.FIXED_GOP);
        RecordedSpan span = longSpan(DEVICES.get(CameraProfile.FIXED_GOP), 120_000, 1);
        Playlist pl = playlist(camera, span.begin().plusSeconds(30), span.begin().plusSeconds(60));
        Entry e = pl.segments().get(1);
        HttpResponse<byte[]> r = gw.http.bytes(segmentPath(camera, e));
        assertEquals(200, r.statusCode());
        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertEquals("public, max-age=31536000, immutable", r.headers().firstValue("Cache-Control").orElseThrow());
        HttpResponse<byte[]> again = gw.http.bytes(segmentPath(camera, e), "If-None-Match", etag);
        assertEquals(304, again.statusCode());

        String base = "/api/v1/cameras/" + camera + "/playback/hls/v1/";
        long start = Long.parseLong(e.uri().replaceAll("\\?.*", "").replaceAll(".*/(\\d+)_\\d+\\.ts", "$1"));
        for (String bad : List.of(base + "1/" + (start + 1000) + "_4000.ts", base + "1/" + start + "_2000.ts",
                base + "2/" + start + "_4000.ts", base + "3/" + start + "_4000.ts", base.replace("hls/v1/", "hls/v2/") + "1/"
                        + start + "_4000.ts")) {
            Http.Answer a = gw.http.get(bad);
            assertEquals(404, a.status(), bad);
            assertTrue(a.json().getString("error").contains("grid"), a.body());
        }
    }

    @Test
    void segmentsNearTheLiveEdgeGetAShortMaxAge() throws Exception {
        String camera = CAMERAS.get(CameraProfile.FIXED_GOP);
        Http.Answer started = gw.http.post("/api/v1/cameras/" + camera + "/recordings/start", "{\"duration\": 600}");
        assertEquals(200, started.status(), started.body());
        CLOCK.advance(Duration.ofSeconds(20));
        long w = (CLOCK.millis() - 12_000) / 4000 * 4000;
        HttpResponse<byte[]> r = gw.http.bytes("/api/v1/cameras/" + camera + "/playback/hls/v1/1/" + w + "_4000.ts");
        assertEquals(200, r.statusCode());
        assertEquals("public, max-age=2", r.headers().firstValue("Cache-Control").orElseThrow(),
                "a window closed less than PLAYBACK_SEAL_SECONDS ago may still change");
        assertEquals(200, gw.http.post("/api/v1/cameras/" + camera + "/recordings/stop", "{}").status());
    }

    @Test
    void aSegmentAskedByManyAtOnceIsProducedOnce() throws Exception {
        String camera = CAMERAS.get(CameraProfile.FIXED_GOP);
        RecordedSpan span = longSpan(DEVICES.get(CameraProfile.FIXED_GOP), 120_000, 2);
        long w = (span.begin().toEpochMilli() / 4000 + 5) * 4000;
        String base = "/api/v1/cameras/" + camera + "/playback/hls/v1/1/";
        for (int i = 1; i <= 4; i++) {
            assertEquals(200, gw.http.bytes(base + (w + i * 4000) + "_4000.ts").statusCode());
        }
        awaitNoProduction();
        double before = metric("gateway_playback_segment_production_seconds_count");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return gw.http.bytes(base + w + "_4000.ts");
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }, pool));
            }
            Set<String> etags = new HashSet<>();
            byte[] body = null;
            for (CompletableFuture<HttpResponse<byte[]>> f : all) {
                HttpResponse<byte[]> r = f.join();
                assertEquals(200, r.statusCode());
                etags.add(r.headers().firstValue("ETag").orElseThrow());
                if (body != null) {
                    assertArrayEquals(body, r.body());
                }
                body = r.body();
            }
            assertEquals(1, etags.size());
        } finally {
            pool.shutdown();
        }
        awaitNoProduction();
        assertEquals(before + 1, metric("gateway_playback_segment_production_seconds_count"),
                "eight viewers, one production");
    }

    @Test
    void servingASegmentProducesTheNextFewAhead() throws Exception {
        String camera = CAMERAS.get(CameraProfile.FIXED_GOP);
        RecordedSpan span = longSpan(DEVICES.get(CameraProfile.FIXED_GOP), 120_000, 5);
        long w = (span.begin().toEpochMilli() / 4000 + 8) * 4000;
        String base = "/api/v1/cameras/" + camera + "/playback/hls/v1/1/";
        awaitNoProduction();
        double produced = metric("gateway_playback_segment_production_seconds_count");
        assertEquals(200, gw.http.bytes(base + w + "_4000.ts").statusCode());
        awaitNoProduction();
        assertEquals(produced + 4, metric("gateway_playback_segment_production_seconds_count"),
                "the segment asked for and PLAYBACK_PREFETCH_SEGMENTS (3) after it");
        double hits = metric("gateway_playback_segments_served_total{cache=\"hit\"}");
        for (int i = 1; i <= 3; i++) {
            assertEquals(200, gw.http.bytes(base + (w + i * 4000L) + "_4000.ts").statusCode());
        }
        assertEquals(hits + 3, metric("gateway_playback_segments_served_total{cache=\"hit\"}"),
                "the next three come from the cache");
    }

    @Test
    void aNewPlaylistProducesTheWindowsItListsAndNoMore() throws Exception {
        String camera = CAMERAS.get(CameraProfile.FIXED_GOP);
        RecordedSpan span = longSpan(DEVICES.get(CameraProfile.FIXED_GOP), 120_000, 8);
        long w = (span.begin().toEpochMilli() / 4000 + 8) * 4000;
        awaitNoProduction();
        double produced = metric("gateway_playback_segment_production_seconds_count");
        // 2 s into a window of a 1 s GOP camera: the playlist needs this window and the next two.
        Http.Answer a = gw.http.get(streamPath(camera, Instant.ofEpochMilli(w + 2000), null));
        assertEquals(200, a.status(), a.body());
        assertEquals(3, a.body().split("#EXTINF", -1).length - 1, a.body());
        awaitNoProduction();
        assertEquals(produced + 3, metric("gateway_playback_segment_production_seconds_count"),
                "prefetch beyond the listed windows waits for the player's own requests");
    }

    private static void awaitNoProduction() throws Exception {
        for (int i = 0; i < 100 && metric("gateway_playback_productions_active") > 0; i++) {
            Thread.sleep(50);
        }
    }

    /** A sample's value: {@code name} alone, or with its labels as the scrape writes them ({@code name{a="b"}}). */
    static double metric(String name) throws Exception {
        for (String line : gw.http.get("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ") || !name.contains("{") && line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    @Test
    void browsersOnAnotherOriginMayPlay() throws Exception {
        String camera = CAMERAS.get(CameraProfile.FIXED_GOP);
        Instant t = longSpan(DEVICES.get(CameraProfile.FIXED_GOP), 30_000, 0).begin().plusSeconds(5);
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        HttpResponse<String> preflight = client.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(gw.http.base() + streamPath(camera, t, null)))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://dashboard.cns.example").header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "if-none-match").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(preflight.statusCode() == 204 || preflight.statusCode() == 200, "preflight " + preflight.statusCode());
        assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        HttpResponse<byte[]> playlist = gw.http.bytes(streamPath(camera, t, null), "Origin",
                "https://dashboard.cns.example");
        assertEquals(200, playlist.statusCode());
        assertEquals("*", playlist.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        String first = new String(playlist.body()).lines().filter(l -> l.startsWith("hls/")).findFirst().orElseThrow();
        HttpResponse<byte[]> segment = gw.http.bytes("/api/v1/cameras/" + camera + "/playback/" + first, "Origin",
                "https://dashboard.cns.example");
        assertTrue(segment.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("ETag"),
                segment.headers().map().toString());
    }

    @Test
    void badRequestsGetClearJsonErrors() throws Exception {
        String camera = CAMERAS.get(CameraProfile.FIXED_GOP);
        Instant t = longSpan(DEVICES.get(CameraProfile.FIXED_GOP), 30_000, 0).begin().plusSeconds(5);
        String path = streamPath(camera, t, null);
        Http.Answer a = gw.http.get(path + "&speed=3");
        assertEquals(400, a.status());
        assertTrue(a.json().getString("error").contains("-8, -4, -2, -1, -0.5, 0.5, 1, 2, 4, 8"), a.body());
        assertEquals(10, a.json().getJsonArray("supportedSpeeds").size(), a.body());
        assertEquals(400, gw.http.get(path + "&speed=fast").status());
        a = gw.http.get(streamPath(camera, t, t.plusSeconds(1)) + "&speed=-1");
        assertEquals(400, a.status(), "backward, the end lies before the time");
        assertTrue(a.json().getString("error").contains("before time"), a.body());
        a = gw.http.get(path + "&playlistType=live");
        assertEquals(400, a.status());
        assertTrue(a.json().getString("error").contains("event, vod"), a.body());
        a = gw.http.get(path + "&format=avi");
        assertEquals(400, a.status());
        assertTrue(a.json().getString("error").contains("not one of hls, mjpeg"), a.body());
        a = gw.http.get("/api/v1/cameras/" + camera + "/playback/stream?time=yesterday");
        assertEquals(400, a.status());
        assertTrue(a.json().getString("error").contains("time"), a.body());
        a = gw.http.get(streamPath(camera, t, t.minusSeconds(1)));
        assertEquals(400, a.status());
        a = gw.http.get(streamPath(camera, NOW.plusSeconds(60), null));
        assertEquals(400, a.status());
        a = gw.http.get(streamPath(idleCamera, t, null));
        assertEquals(404, a.status(), "a camera that records nothing");
        assertTrue(a.json().getString("error").contains("Nothing is recorded"), a.body());
        a = gw.http.get(streamPath("7c0e2b1e-0000-4000-8000-000000000000", t, null));
        assertEquals(404, a.status());
    }

    @Test
    void snapshotIsTheFrameShownAtTheTime() throws Exception {
        String camera = CAMERAS.get(CameraProfile.FIXED_GOP);
        RecordedSpan span = longSpan(DEVICES.get(CameraProfile.FIXED_GOP), 30_000, 0);
        Instant t = span.begin().plusMillis(10_019);
        HttpResponse<byte[]> r = gw.http.bytes("/api/v1/cameras/" + camera + "/playback/snapshot?time=" + enc(t));
        assertEquals(200, r.statusCode());
        assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(0xFF, r.body()[0] & 0xFF);
        assertEquals(0xD8, r.body()[1] & 0xFF);
        assertEquals(span.begin().plusMillis(10_000).toString(), r.headers().firstValue("X-Recording-Time").orElse(""),
                "the last frame at or before the time");
        Http.Answer gap = gw.http.get("/api/v1/cameras/" + camera + "/playback/snapshot?time=" + enc(span.begin()
                .minusMillis(1)));
        assertEquals(404, gap.status(), gap.body());
        assertTrue(gap.json().getString("error").contains("Nothing is recorded"), gap.body());
    }

    @Test
    void controlIsStatelessAndAnswersThePlaylistToLoad() throws Exception {
        String camera = CAMERAS.get(CameraProfile.FIXED_GOP);
        Instant t = longSpan(DEVICES.get(CameraProfile.FIXED_GOP), 30_000, 0).begin().plusSeconds(7);
        Http.Answer a = gw.http.post("/api/v1/cameras/" + camera + "/playback/control",
                new JsonObject().put("action", "seek").put("timestamp", t.toString()).put("speed", 1).encode());
        assertEquals(200, a.status(), a.body());
        assertEquals("playing", a.json().getString("status"));
        assertEquals(t.toString(), a.json().getString("currentTime"));
        assertEquals(1.0, a.json().getDouble("speed"));
        assertTrue(a.json().getString("playlistUrl").matches(".*&since=\\d+.*"),
                "says when the player began, so any instance lists as far as it got: " + a.body());
        Http.Answer list = gw.http.get(a.json().getString("playlistUrl"));
        assertEquals(200, list.status(), list.body());
        assertEquals(t.toEpochMilli(), parse(list.body()).segments().get(0).pdtMs() + parse(list.body()).startOffsetMs());
        String playlist = a.json().getString("playlistUrl");
        assertEquals(400, gw.http.get(playlist.replaceFirst("since=\\d+", "since=soon")).status());
        Http.Answer future = gw.http.get(playlist.replaceFirst("since=\\d+", "since=" + (CLOCK.millis() + 3_600_000)));
        assertEquals(400, future.status());
        assertTrue(future.json().getString("error").contains("since"), future.body());
        a = gw.http.post("/api/v1/cameras/" + camera + "/playback/control",
                new JsonObject().put("action", "pause").put("timestamp", t.toString()).encode());
        assertEquals("paused", a.json().getString("status"));
        a = gw.http.post("/api/v1/cameras/" + camera + "/playback/control",
                new JsonObject().put("action", "rewind").put("timestamp", t.toString()).encode());
        assertEquals(400, a.status());
        a = gw.http.post("/api/v1/cameras/" + camera + "/playback/control",
                new JsonObject().put("action", "speed").put("timestamp", t.toString()).put("speed", -4).encode());
        assertEquals(200, a.status(), a.body());
        assertEquals(-4.0, a.json().getDouble("speed"));
        assertTrue(a.json().getString("playlistUrl").contains("speed=-4"), a.body());
        list = gw.http.get(a.json().getString("playlistUrl"));
        assertEquals(200, list.status(), list.body());
        assertTrue(list.body().contains("#EXT-X-CNS-SPEED:-4\n"), list.body());
        a = gw.http.post("/api/v1/cameras/" + camera + "/playback/control", new JsonObject().put("action", "seek")
                .put("timestamp", t.toString()).put("playlistType", "vod").encode());
        assertEquals(200, a.status(), a.body());
        list = gw.http.get(a.json().getString("playlistUrl"));
        assertEquals(200, list.status(), list.body());
        assertTrue(list.body().contains("#EXT-X-PLAYLIST-TYPE:VOD\n") && list.body().contains("#EXT-X-ENDLIST"),
                list.body());
        assertEquals(t.toEpochMilli(), parse(list.body()).segments().get(0).pdtMs() + parse(list.body()).startOffsetMs());
        a = gw.http.post("/api/v1/cameras/" + camera + "/playback/control",
                new JsonObject().put("action", "speed").put("timestamp", t.toString()).put("speed", 3).encode());
        assertEquals(400, a.status());
        assertTrue(a.json().containsKey("supportedSpeeds"), a.body());
        a = gw.http.post("/api/v1/cameras/" + camera + "/playback/control",
                new JsonObject().put("action", "seek").put("timestamp", "2030-01-01T00:00:00Z").encode());
        assertEquals(400, a.status(), "a seek into the future fails at the control call");
        assertTrue(a.json().getString("error").contains("future"), a.body());
        a = gw.http.post("/api/v1/cameras/" + idleCamera + "/playback/control",
                new JsonObject().put("action", "seek").put("timestamp", t.toString()).encode());
        assertEquals(404, a.status(), "a seek where nothing is recorded after fails at the control call");
        assertTrue(a.json().getString("error").contains("Nothing is recorded"), a.body());
        a = gw.http.post("/api/v1/cameras/" + camera + "/playback/control",
                new JsonObject().put("action", "seek").put("speed", 1).encode());
        assertEquals(400, a.status());
        assertTrue(a.json().getString("error").contains("timestamp"), a.body());
    }

    @Test
    void anImageServerOutageGives503ForNewSegmentsWhileCachedOnesServe() throws Exception {
        String camera = CAMERAS.get(CameraProfile.FIXED_GOP);
        RecordedSpan span = longSpan(DEVICES.get(CameraProfile.FIXED_GOP), 120_000, 3);
        Playlist pl = playlist(camera, span.begin().plusSeconds(10), span.begin().plusSeconds(30));
        String cached = segmentPath(camera, pl.segments().get(0));
        assertEquals(200, gw.http.bytes(cached).statusCode());
        awaitNoProduction();
        long fresh = (span.begin().toEpochMilli() / 4000 + 20) * 4000;
        String uncached = "/api/v1/cameras/" + camera + "/playback/hls/v1/1/" + fresh + "_4000.ts";
        gw.simulator.imageServerDown(true);
        try {
            assertEquals(200, gw.http.bytes(cached).statusCode(), "cached segments still serve");
            Http.Answer down = gw.http.get(uncached);
            assertEquals(503, down.status(), down.body());
            assertTrue(down.header("Retry-After") != null);
        } finally {
            gw.simulator.imageServerDown(false);
        }
        HttpResponse<byte[]> recovered = gw.http.bytes(uncached);
        assertEquals(200, recovered.statusCode(), "and playback recovers: " + new String(recovered.body(),
                StandardCharsets.UTF_8));
    }

    @Test
    void connectionsTheRecorderDroppedWhileIdleCostNoFailure() throws Exception {
        String camera = CAMERAS.get(CameraProfile.FIXED_GOP);
        RecordedSpan span = longSpan(DEVICES.get(CameraProfile.FIXED_GOP), 120_000, 6);
        String base = "/api/v1/cameras/" + camera + "/playback/hls/v1/1/";
        long w = (span.begin().toEpochMilli() / 4000 + 5) * 4000;
        assertEquals(200, gw.http.bytes(base + w + "_4000.ts").statusCode());
        awaitNoProduction(); // its connections (and its prefetch's) are idle in the pool now
        gw.simulator.dropImageServerConnections(); // the recorder's idle timeout, or its restart
        Thread.sleep(200);
        HttpResponse<byte[]> next = gw.http.bytes(base + (w + 40_000) + "_4000.ts");
        assertEquals(200, next.statusCode(), new String(next.body(), StandardCharsets.UTF_8));
    }
}
