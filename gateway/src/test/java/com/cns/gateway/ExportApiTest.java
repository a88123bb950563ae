package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.support.MediaProbe;
import com.cns.gateway.testsupport.Await;
import com.cns.gateway.testsupport.EventClient;
import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.gateway.testsupport.TestClock;
import com.cns.gateway.transcoder.mux.AnnexB;
import com.cns.gateway.transcoder.sei.RecordingTimeSei;
import com.cns.xprotect.simulator.CameraProfile;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatedSite;
import com.cns.xprotect.simulator.SimulatorOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Evidence export through HTTP against the simulator: a recorded range that spans a gap becomes an
 * MP4 that ffmpeg reads without a warning, holding exactly the frames the recorder has (each with
 * its recording-time SEI, in order), with a signed manifest that {@code scripts/verify-export.sh}
 * accepts and that fails once a byte of the file or the manifest is changed.
 */
class ExportApiTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:34:56.789Z");
    private static GatewayHarness gw;
    private static final TestClock CLOCK = new TestClock(NOW);
    private static final Map<CameraProfile, String[]> CAMERAS = new java.util.EnumMap<>(CameraProfile.class);

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness(SimulatorOptions.defaults(), Map.of(), CLOCK);
        for (SimulatedSite.Camera c : gw.simulator.site().cameras()) {
            CameraProfile p = gw.simulator.site().profile(c.id());
            if (c.enabled() && c.recordingEnabled() && !CAMERAS.containsKey(p)) {
                Http.Answer a = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + c.id() + "\"}");
                assertEquals(201, a.status(), a.body());
                CAMERAS.put(p, new String[] {a.json().getString("id"), c.id()});
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    /** A 5-minute range around a gap of 5 s to 3 min between two recorded sequences of {@code device}. */
    private static Instant[] rangeAcrossAGap(String device) {
        List<RecordedSpan> spans = gw.simulator.history().spans(device, NOW.minus(Duration.ofDays(3)),
                NOW.minus(Duration.ofDays(1)));
        for (int i = 0; i + 1 < spans.size(); i++) {
            Duration gap = Duration.between(spans.get(i).end(), spans.get(i + 1).begin());
            Duration before = Duration.between(spans.get(i).begin(), spans.get(i).end());
            Duration after = Duration.between(spans.get(i + 1).begin(), spans.get(i + 1).end());
            if (gap.compareTo(Duration.ofSeconds(5)) >= 0 && gap.compareTo(Duration.ofMinutes(3)) <= 0
                    && before.compareTo(Duration.ofMinutes(2)) > 0 && after.compareTo(Duration.ofMinutes(3)) > 0) {
                Instant from = spans.get(i).end().minus(Duration.ofMinutes(1)).plusMillis(317);
                return new Instant[] {from, from.plus(Duration.ofMinutes(5))};
            }
        }
        throw new IllegalStateException("no gap of 5 s to 3 min between long sequences of " + device);
    }

    private static JsonObject done(Http http, String exportId) throws Exception {
        JsonObject[] last = new JsonObject[1];
        Await.until("export " + exportId + " finishes", Duration.ofSeconds(120), () -> {
            Http.Answer a = http.get("/api/v1/exports/" + exportId);
            assertEquals(200, a.status(), a.body());
            last[0] = a.json();
            return !List.of("queued", "in_progress").contains(last[0].getString("status"));
        });
        return last[0];
    }

    private static String create(String camera, Instant from, Instant to) throws Exception {
        return create(camera, from, to, false);
    }

    private static String create(String camera, Instant from, Instant to, boolean burn) throws Exception {
        Http.Answer a = gw.http.post("/api/v1/cameras/" + camera + "/exports", new JsonObject()
                .put("startTime", from.toString()).put("endTime", to.toString()).put("format", "mp4")
                .put("burnTimestamp", burn)
                .put("description", "case 2026/118 \"north gate\"").encode());
        assertEquals(202, a.status(), a.body());
        String id = a.json().getString("exportId");
        assertTrue(id.startsWith("exp_"), id);
        assertTrue(List.of("in_progress", "queued").contains(a.json().getString("status")), a.body());
        assertEquals("/api/v1/exports/" + id, a.header("Location"));
        return id;
    }

    private Path download(String exportId, String name) throws Exception {
        HttpResponse<byte[]> r = gw.http.bytes("/api/v1/exports/" + exportId + "/file");
        assertEquals(200, r.statusCode());
        assertEquals("video/mp4", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment; filename=\"export-"),
                r.headers().toString());
        Path f = dir.resolve(name);
        Files.write(f, r.body());
        return f;
    }

    @Test
    void fiveMinutesAcrossAGapExportEveryRecordedFrameWithItsRecordingTimeAndASignedManifest() throws Exception {
        String[] cam = CAMERAS.get(CameraProfile.FIXED_GOP);
        Instant[] range = rangeAcrossAGap(cam[1]);
        try (EventClient events = new EventClient(gw.http)) {
            String id = create(cam[0], range[0], range[1]);
            JsonObject job = done(gw.http, id);
            assertEquals("completed", job.getString("status"), job.encodePrettily());
            assertEquals(100, job.getJsonObject("progress").getInteger("percent"));
            JsonObject finished = events.next("export_done", Duration.ofSeconds(10));
            assertEquals(id, finished.getString("exportId"));
            assertEquals("completed", finished.getString("status"));
            assertTrue(events.seen().stream().anyMatch(e -> "export_progress".equals(e.getString("type"))
                    && id.equals(e.getString("exportId"))), "progress events came before the end");

            Path file = download(id, "clip.mp4");
            Http.Answer m = gw.http.get("/api/v1/exports/" + id + "/manifest");
            assertEquals(200, m.status(), m.body());
            Path manifestFile = dir.resolve("clip.manifest.json");
            Files.writeString(manifestFile, m.body());
            JsonObject manifest = new JsonObject(m.body());

            // The frames the recorder holds from the keyframe the file starts at to the range's end.
            Instant first = Instant.parse(manifest.getString("firstFrameTime"));
            assertFalse(first.isAfter(range[0]), "the file starts at the keyframe at or before the range's start");
            assertTrue(Duration.between(first, range[0]).toMillis() < 10_000, first + " vs " + range[0]);
            List<Long> recorded = gw.simulator.recordedFrameTimes(cam[1], first.toEpochMilli(), range[1].toEpochMilli());
            assertEquals(recorded.size(), manifest.getLong("frameCount").intValue());
            assertEquals(recorded.get(0), first.toEpochMilli());
            assertEquals(recorded.get(recorded.size() - 1), Instant.parse(manifest.getString("lastFrameTime")).toEpochMilli());

            // ffprobe: one stream, H.264, exactly those frames, no warning; ffmpeg decodes it all without one.
            MediaProbe.Run probe = MediaProbe.run("ffprobe", "-v", "warning", "-count_packets", "-show_entries",
                    "stream=codec_name,nb_read_packets:format_tags=creation_time", "-of", "json", file.toString());
            assertEquals("", probe.err().trim(), "ffprobe warns of nothing");
            JsonObject info = new JsonObject(new String(probe.out(), StandardCharsets.UTF_8));
            JsonObject stream = info.getJsonArray("streams").getJsonObject(0);
            assertEquals("h264", stream.getString("codec_name"));
            assertEquals(recorded.size(), Integer.parseInt(stream.getString("nb_read_packets")));
            assertEquals(first.getEpochSecond(), Instant.parse(info.getJsonObject("format").getJsonObject("tags")
                    .getString("creation_time")).getEpochSecond(), "the file's creation time is the first frame's");
            // Every sample carries the SEI recording time of the frame recorded, in the recorder's order, and
            // its presentation time is that recording time less the first frame's.
            assertEquals(recorded, decodedSeiTimes(file));
            MediaProbe.Run pts = MediaProbe.run("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries",
                    "packet=pts_time", "-of", "csv=p=0", file.toString());
            String[] times = new String(pts.out(), StandardCharsets.UTF_8).trim().split("\n");
            for (int i = 0; i < times.length; i++) {
                long ms = Math.round(Double.parseDouble(times[i]) * 1000);
                assertEquals(recorded.get(i) - first.toEpochMilli(), ms, "sample " + i);
            }

            // The manifest: camera, range, runs and the gap, the file's digest, who, where.
            assertEquals(id, manifest.getString("exportId"));
            assertEquals(cam[0], manifest.getJsonObject("camera").getString("id"));
            assertEquals(cam[1], manifest.getJsonObject("camera").getString("milestoneDeviceId"));
            assertNotNull(manifest.getJsonObject("camera").getString("recordingServer"));
            assertEquals(range[0].toString(), manifest.getJsonObject("range").getString("startTime"));
            JsonArray gaps = manifest.getJsonArray("gaps");
            assertEquals(1, gaps.size(), manifest.encodePrettily());
            assertEquals(2, manifest.getJsonArray("runs").size());
            List<RecordedSpan> spans = gw.simulator.history().spans(cam[1], range[0], range[1]);
            assertEquals(spans.get(0).end().toString(), gaps.getJsonObject(0).getString("startTime"));
            assertEquals(spans.get(1).begin().toString(), gaps.getJsonObject(0).getString("endTime"));
            assertEquals(sha256(file), manifest.getJsonObject("file").getString("sha256"));
            assertEquals(sha256(file), job.getString("sha256"));
            assertEquals(Files.size(file), manifest.getJsonObject("file").getLong("sizeBytes"));
            assertFalse(manifest.getJsonObject("file").getBoolean("transcoded"));
            assertEquals("admin", manifest.getJsonObject("exportedBy").getString("username"));
            assertNotNull(manifest.getString("instanceId"));
            assertEquals("case 2026/118 \"north gate\"", manifest.getString("description"));
            assertEquals("Ed25519", manifest.getJsonObject("signature").getString("algorithm"));

            // The script says valid with the gateway's key, and invalid once a byte changes anywhere.
            Http.Answer key = gw.http.anonymous().get("/api/v1/exports/public-key");
            assertEquals(200, key.status(), key.body());
            assertTrue(key.body().startsWith("-----BEGIN PUBLIC KEY-----"), key.body());
            Path pem = dir.resolve("gateway.pem");
            Files.writeString(pem, key.body());
            MediaProbe.Run ok = verify(file, manifestFile, pem);
            assertEquals(0, ok.exit(), new String(ok.out()) + ok.err());
            assertTrue(new String(ok.out()).startsWith("VALID"), new String(ok.out()));

            Path flipped = dir.resolve("flipped.mp4");
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(flipped, bytes);
            MediaProbe.Run badFile = verify(flipped, manifestFile, pem);
            assertEquals(1, badFile.exit(), new String(badFile.out()));
            assertTrue(new String(badFile.out()).startsWith("INVALID"), new String(badFile.out()));

            Path edited = dir.resolve("edited.manifest.json");
            Files.writeString(edited, m.body().replace("\"frameCount\":" + recorded.size(),
                    "\"frameCount\":" + (recorded.size() - 1)));
            MediaProbe.Run badManifest = verify(file, edited, pem);
            assertEquals(1, badManifest.exit(), new String(badManifest.out()));
            assertTrue(new String(badManifest.out()).contains("signature does not match"), new String(badManifest.out()));

            Path otherKey = dir.resolve("other.pem");
            Files.writeString(otherKey, com.cns.gateway.api.exports.ManifestSigner.fresh().publicKeyPem());
            assertEquals(1, verify(file, manifestFile, otherKey).exit(), "a manifest checked against another key fails");

            // Byte ranges, as players and download managers ask.
            HttpResponse<byte[]> part = gw.http.bytes("/api/v1/exports/" + id + "/file", "Range", "bytes=100-199");
            assertEquals(206, part.statusCode());
            assertEquals("bytes 100-199/" + Files.size(file), part.headers().firstValue("Content-Range").orElse(""));
            assertEquals(100, part.body().length);
            assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOfRange(Files.readAllBytes(file), 100, 200)),
                    java.util.Arrays.toString(part.body()));
            HttpResponse<byte[]> tail = gw.http.bytes("/api/v1/exports/" + id + "/file", "Range", "bytes=-10");
            assertEquals(206, tail.statusCode());
            assertEquals(10, tail.body().length);
            HttpResponse<byte[]> past = gw.http.bytes("/api/v1/exports/" + id + "/file", "Range",
                    "bytes=" + Files.size(file) + "-");
            assertEquals(416, past.statusCode());
            assertEquals("bytes */" + Files.size(file), past.headers().firstValue("Content-Range").orElse(""));

            // Listed, audited, then removed with its file.
            Http.Answer list = gw.http.get("/api/v1/exports?camera=" + cam[0] + "&status=completed");
            assertEquals(200, list.status(), list.body());
            assertTrue(list.json().getJsonArray("exports").stream()
                    .anyMatch(e -> id.equals(((JsonObject) e).getString("exportId"))), list.body());
            assertEquals(204, gw.http.delete("/api/v1/exports/" + id).status());
            assertEquals(404, gw.http.get("/api/v1/exports/" + id).status());
            assertEquals(404, gw.http.bytes("/api/v1/exports/" + id + "/file").statusCode());
            Http.Answer audit = gw.http.get("/api/v1/audit?action=export&camera=" + cam[0]);
            assertEquals(200, audit.status(), audit.body());
            List<String> actions = new ArrayList<>();
            audit.json().getJsonArray("entries").forEach(e -> {
                JsonObject o = (JsonObject) e;
                if (o.getString("detail", "").contains(id)) {
                    actions.add(o.getString("action"));
                }
            });
            assertTrue(actions.containsAll(List.of("export.create", "export.download", "export.delete")), actions.toString());
        }
    }

    /** H.265 and JPEG cameras are transcoded to H.264, each picture still carrying its recording time. */
    @ParameterizedTest
    @EnumSource(value = CameraProfile.class, names = {"H265", "JPEG", "BFRAMES"})
    void otherCamerasExportTheirFramesAsH264(CameraProfile profile) throws Exception {
        exportAndCheckEveryPicture(profile, false);
    }

    /** A burned-in time re-encodes an H.264 camera too; the SEI still names each picture's recording time. */
    @Test
    void aBurnedTimestampTranscodesAndKeepsEveryPicturesTime() throws Exception {
        exportAndCheckEveryPicture(CameraProfile.FIXED_GOP, true);
    }

    private void exportAndCheckEveryPicture(CameraProfile profile, boolean burn) throws Exception {
        String[] cam = CAMERAS.get(profile);
        List<RecordedSpan> spans = gw.simulator.history().spans(cam[1], NOW.minus(Duration.ofDays(3)),
                NOW.minus(Duration.ofDays(1)));
        RecordedSpan span = spans.stream().filter(s -> Duration.between(s.begin(), s.end()).toSeconds() > 60)
                .findFirst().orElseThrow();
        Instant from = span.begin().plusSeconds(10).plusMillis(130);
        Instant to = from.plusSeconds(20);
        String id = create(cam[0], from, to, burn);
        JsonObject job = done(gw.http, id);
        assertEquals("completed", job.getString("status"), job.encodePrettily());
        assertEquals(burn, job.getBoolean("burnTimestamp"));
        Path file = download(id, profile + (burn ? "-burned" : "") + ".mp4");
        JsonObject manifest = gw.http.get("/api/v1/exports/" + id + "/manifest").json();
        Instant first = Instant.parse(manifest.getString("firstFrameTime"));
        List<Long> recorded = gw.simulator.recordedFrameTimes(cam[1], first.toEpochMilli(), to.toEpochMilli());
        assertEquals(recorded.size(), manifest.getLong("frameCount").intValue(), manifest.encodePrettily());
        boolean transcoded = burn || profile == CameraProfile.H265 || profile == CameraProfile.JPEG;
        assertEquals(transcoded, manifest.getJsonObject("file").getBoolean("transcoded"));
        assertEquals(burn, manifest.getJsonObject("file").getBoolean("burnedTimestamp"));
        List<Long> sei = decodedSeiTimes(file);
        List<Long> expected = new ArrayList<>(recorded);
        if (transcoded) {
            java.util.Collections.sort(expected); // re-encoded in presentation order
        }
        assertEquals(expected, sei);
    }

    @Test
    void aFinishedExportIsRemovedWithItsFilePastEXPORT_RETENTION() throws Exception {
        String[] cam = CAMERAS.get(CameraProfile.FIXED_GOP);
        Instant to = NOW.minus(Duration.ofDays(2));
        String id = create(cam[0], to.minusSeconds(10), to);
        assertEquals("completed", done(gw.http, id).getString("status"));
        Path file = gw.dataDir.resolve("exports").resolve(id + ".mp4");
        assertTrue(Files.exists(file));
        Duration past = Duration.ofDays(7).plusHours(1);
        CLOCK.advance(past);
        try {
            Await.until("the expired export is swept", Duration.ofSeconds(15),
                    () -> gw.http.get("/api/v1/exports/" + id).status() == 404);
            assertFalse(Files.exists(file), "its file went with it");
        } finally {
            CLOCK.advance(past.negated());
        }
    }

    @Test
    void badRequestsAnswerClearJsonErrors() throws Exception {
        String camera = CAMERAS.get(CameraProfile.FIXED_GOP)[0];
        String path = "/api/v1/cameras/" + camera + "/exports";
        Instant t = NOW.minus(Duration.ofDays(2));
        assertError(gw.http.post(path, "{\"startTime\":\"" + t + "\",\"endTime\":\"" + t.minusSeconds(1) + "\"}"),
                400, "endTime must be after startTime");
        assertError(gw.http.post(path, "{\"startTime\":\"" + t + "\",\"endTime\":\"" + t.plus(Duration.ofHours(25)) + "\"}"),
                400, "EXPORT_MAX_DURATION");
        assertError(gw.http.post(path, "{\"startTime\":\"" + t + "\",\"endTime\":\"" + NOW.plusSeconds(60) + "\"}"),
                400, "future");
        assertError(gw.http.post(path, "{\"startTime\":\"" + t + "\",\"endTime\":\"" + t.plusSeconds(60)
                + "\",\"format\":\"avi\"}"), 400, "not one of mp4");
        assertError(gw.http.post(path, "{\"endTime\":\"" + t + "\"}"), 400, "startTime");
        assertError(gw.http.post(path, "{\"startTime\":\"yesterday\",\"endTime\":\"" + t + "\"}"), 400, "ISO 8601");
        assertError(gw.http.post(path, "[]"), 400, "JSON object");
        assertError(gw.http.post("/api/v1/cameras/" + java.util.UUID.randomUUID() + "/exports",
                "{\"startTime\":\"" + t + "\",\"endTime\":\"" + t.plusSeconds(60) + "\"}"), 404, "No camera");
        assertError(gw.http.get("/api/v1/exports/exp_" + java.util.UUID.randomUUID()), 404, "not found");
        assertError(gw.http.get("/api/v1/exports/not-an-export"), 404, "exp_<uuid>");
        assertError(gw.http.get("/api/v1/exports?status=lost"), 400, "not one of");
        assertError(gw.http.get("/api/v1/exports?camera=12"), 400, "UUID");
    }

    @Test
    void aCancelledExportStopsWalkingAndLeavesNoFile() throws Exception {
        String[] cam = CAMERAS.get(CameraProfile.VARIABLE_GOP);
        gw.simulator.frameServiceTime(2); // slow enough that 6 hours take far longer than the test
        try {
            Instant to = NOW.minus(Duration.ofDays(1));
            String id = create(cam[0], to.minus(Duration.ofHours(6)), to);
            Await.until("the export writes", Duration.ofSeconds(30), () ->
                    gw.http.get("/api/v1/exports/" + id).json().getJsonObject("progress").getLong("processedMs") > 0);
            assertError(gw.http.get("/api/v1/exports/" + id + "/manifest"), 409, "in_progress");
            assertEquals(204, gw.http.delete("/api/v1/exports/" + id).status());
            assertEquals("cancelled", gw.http.get("/api/v1/exports/" + id).json().getString("status"));
            Await.until("no export runs", Duration.ofSeconds(15), () -> metric("gateway_exports_running") == 0);
            try (var files = Files.list(gw.dataDir.resolve("exports"))) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(id)), "no file is left");
            }
            long processed = gw.http.get("/api/v1/exports/" + id).json().getJsonObject("progress").getLong("processedMs");
            Thread.sleep(1500);
            assertEquals(processed, gw.http.get("/api/v1/exports/" + id).json().getJsonObject("progress")
                    .getLong("processedMs"), "no progress after the cancel");
        } finally {
            gw.simulator.frameServiceTime(0);
        }
    }

    @Test
    void pastEXPORT_CONCURRENCYExportsQueueAndOnlyTheCamerasUsersSeeThem() throws Exception {
        String[] cam = CAMERAS.get(CameraProfile.JITTER_DROPS);
        String[] other = CAMERAS.get(CameraProfile.FIXED_GOP);
        gw.simulator.frameServiceTime(2);
        List<String> ids = new ArrayList<>();
        try {
            Instant to = NOW.minus(Duration.ofDays(1));
            for (int i = 0; i < 3; i++) {
                CLOCK.advance(Duration.ofMillis(1));   // each created after the one before, as listed
                ids.add(create(cam[0], to.minus(Duration.ofHours(6 + i)), to.minus(Duration.ofHours(i))));
            }
            // EXPORT_CONCURRENCY is 2: the third waits for a slot.
            assertEquals("queued", gw.http.get("/api/v1/exports/" + ids.get(2)).json().getString("status"));
            assertEquals(List.of(ids.get(2)), exportIds(gw.http.get("/api/v1/exports?status=queued&camera=" + cam[0])));

            // A viewer of another camera neither sees these exports nor can reach them.
            Http scoped = gw.as("export-outsider", "viewer", other[0]);
            assertEquals(404, scoped.get("/api/v1/exports/" + ids.get(0)).status());
            assertEquals(404, scoped.bytes("/api/v1/exports/" + ids.get(0) + "/file").statusCode());
            assertEquals(404, scoped.delete("/api/v1/exports/" + ids.get(0)).status());
            assertTrue(scoped.get("/api/v1/exports?camera=" + cam[0]).json().getJsonArray("exports").isEmpty());
            assertEquals(404, scoped.post("/api/v1/cameras/" + cam[0] + "/exports", new JsonObject()
                    .put("startTime", to.minusSeconds(60).toString()).put("endTime", to.toString()).encode()).status());
            // A viewer of the camera may export it, as they may play it back.
            Http insider = gw.as("export-insider", "viewer", cam[0]);
            assertEquals(200, insider.get("/api/v1/exports/" + ids.get(0)).status());

            // A page holds the caller's newest exports even when newer ones of other cameras exist.
            CLOCK.advance(Duration.ofMillis(1));
            ids.add(create(other[0], to.minus(Duration.ofHours(2)), to));
            assertEquals(List.of(ids.get(2)), exportIds(insider.get("/api/v1/exports?limit=1")));
            assertEquals(List.of(ids.get(1)), exportIds(insider.get("/api/v1/exports?limit=1&offset=1")));
            List<String> outsiders = exportIds(scoped.get("/api/v1/exports?limit=10"));
            assertEquals(ids.get(3), outsiders.get(0));
            assertTrue(java.util.Collections.disjoint(outsiders, ids.subList(0, 3)), outsiders.toString());
        } finally {
            for (String id : ids) {
                assertEquals(204, gw.http.delete("/api/v1/exports/" + id).status());
            }
            gw.simulator.frameServiceTime(0);
            CLOCK.advance(Duration.between(CLOCK.instant(), NOW));   // back to where this test found it
        }
        Await.until("no export runs", Duration.ofSeconds(15), () -> metric("gateway_exports_running") == 0);
    }

    @Test
    void aRecorderOutageMidExportPausesAndTheExportCompletes() throws Exception {
        String[] cam = CAMERAS.get(CameraProfile.FPS5);
        List<RecordedSpan> spans = gw.simulator.history().spans(cam[1], NOW.minus(Duration.ofDays(3)),
                NOW.minus(Duration.ofDays(1)));
        RecordedSpan span = spans.stream().filter(s -> Duration.between(s.begin(), s.end()).toMinutes() > 12)
                .findFirst().orElseThrow();
        gw.simulator.frameServiceTime(1);
        String id;
        try {
            id = create(cam[0], span.begin(), span.begin().plus(Duration.ofMinutes(10)));
            Await.until("the export writes", Duration.ofSeconds(30), () ->
                    gw.http.get("/api/v1/exports/" + id).json().getJsonObject("progress").getLong("processedMs") > 0);
            gw.simulator.imageServerDown(true);
            Thread.sleep(3000);
            assertEquals("in_progress", gw.http.get("/api/v1/exports/" + id).json().getString("status"));
        } finally {
            gw.simulator.imageServerDown(false);
            gw.simulator.frameServiceTime(0);
        }
        JsonObject job = done(gw.http, id);
        assertEquals("completed", job.getString("status"), job.encodePrettily());
        JsonObject manifest = gw.http.get("/api/v1/exports/" + id + "/manifest").json();
        Instant first = Instant.parse(manifest.getString("firstFrameTime"));
        assertEquals(gw.simulator.recordedFrameTimes(cam[1], first.toEpochMilli(),
                span.begin().plus(Duration.ofMinutes(10)).toEpochMilli()).size(), manifest.getLong("frameCount"));
    }

    /** After checking that ffmpeg decodes the whole file without a warning: each sample's SEI recording time, in file order. */
    private static List<Long> decodedSeiTimes(Path file) throws Exception {
        MediaProbe.Run decode = MediaProbe.run("ffmpeg", "-v", "warning", "-i", file.toString(), "-f", "null", "-");
        assertEquals("", decode.err().trim(), "decoding warns of nothing");
        MediaProbe.Run raw = MediaProbe.run("ffmpeg", "-v", "error", "-i", file.toString(), "-c", "copy",
                "-bsf:v", "h264_mp4toannexb", "-f", "h264", "-");
        List<Long> sei = new ArrayList<>();
        for (byte[] au : AnnexB.accessUnits(raw.out())) {
            sei.add(RecordingTimeSei.read(au).orElse(-1));
        }
        return sei;
    }

    private static double metric(String name) throws Exception {
        for (String line : gw.http.get("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError(name + " is not exported");
    }

    private static List<String> exportIds(Http.Answer list) {
        assertEquals(200, list.status(), list.body());
        return list.json().getJsonArray("exports").stream().map(e -> ((JsonObject) e).getString("exportId")).toList();
    }

    private static void assertError(Http.Answer a, int status, String text) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.header("Content-Type").startsWith("application/json"), a.header("Content-Type"));
        assertTrue(a.json().getString("error").contains(text), a.body());
    }

    private static MediaProbe.Run verify(Path file, Path manifest, Path key) throws Exception {
        return MediaProbe.run(Path.of("..", "scripts", "verify-export.sh").toString(), file.toString(),
                manifest.toString(), key.toString());
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
