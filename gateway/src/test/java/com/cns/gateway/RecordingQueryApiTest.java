package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.TestClock;
import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatedSite;
import com.cns.xprotect.simulator.SimulatorOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What was recorded, through HTTP against the simulator's recording history (plan 8.3), checked
 * against the history itself: sequences, gaps, coverage, timelines, caching and outages.
 */
class RecordingQueryApiTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:34:56.789Z");
    private static final TestClock CLOCK = new TestClock(NOW);
    private static GatewayHarness gw;
    private static String cameraId;
    private static String deviceId;
    private static String idleCameraId;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness(SimulatorOptions.defaults(), Map.of(), CLOCK);
        SimulatedSite.Camera recording = gw.simulator.site().cameras().stream()
                .filter(c -> c.enabled() && c.recordingEnabled()).findFirst().orElseThrow();
        SimulatedSite.Camera idle = gw.simulator.site().cameras().stream()
                .filter(c -> c.enabled() && !c.recordingEnabled()).findFirst().orElseThrow();
        deviceId = recording.id();
        cameraId = importCamera(recording.id());
        idleCameraId = importCamera(idle.id());
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

    private static JsonObject query(String camera, Instant from, Instant to) throws Exception {
        Http.Answer a = gw.http.post("/api/v1/cameras/" + camera + "/recordings/query",
                new JsonObject().put("startTime", from.toString()).put("endTime", to.toString()).encode());
        assertEquals(200, a.status(), a.body());
        return a.json();
    }

    /** The history merged with the 1 s tolerance: what the answers must show. */
    private static List<RecordedSpan> expectedRuns(Instant from, Instant to) {
        List<RecordedSpan> merged = new ArrayList<>();
        for (RecordedSpan s : gw.simulator.history().spans(deviceId, from.minus(Duration.ofDays(2)), to)) {
            RecordedSpan last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && !s.begin().isAfter(last.end().plusMillis(1000))) {
                merged.set(merged.size() - 1, new RecordedSpan(last.begin(), s.end().isAfter(last.end()) ? s.end()
                        : last.end()));
            } else {
                merged.add(s);
            }
        }
        List<RecordedSpan> clipped = new ArrayList<>();
        for (RecordedSpan s : merged) {
            Instant b = s.begin().isBefore(from) ? from : s.begin();
            Instant e = s.end().isAfter(to) ? to : s.end();
            if (b.isBefore(e)) {
                clipped.add(new RecordedSpan(b, e));
            }
        }
        return clipped;
    }

    private static void assertMatchesHistory(JsonObject answer, Instant from, Instant to) {
        List<RecordedSpan> expected = expectedRuns(from, to);
        JsonArray seqs = answer.getJsonArray("sequences");
        assertEquals(expected.size(), seqs.size(), answer.encode());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).begin(), Instant.parse(seqs.getJsonObject(i).getString("startTime")));
            assertEquals(expected.get(i).end(), Instant.parse(seqs.getJsonObject(i).getString("endTime")));
        }
    }

    private static RecordedSpan longSpan(Duration atLeast) {
        return gw.simulator.history().spans(deviceId, NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(1)))
                .stream().filter(s -> Duration.between(s.begin(), s.end()).compareTo(atLeast) > 0).findFirst()
                .orElseThrow();
    }

    @Test
    void rangeInsideOneSequenceIsFullyCovered() throws Exception {
        RecordedSpan s = longSpan(Duration.ofMinutes(10));
        Instant from = s.begin().plusSeconds(120);
        JsonObject q = query(cameraId, from, from.plusSeconds(60));
        assertEquals(1, q.getJsonArray("sequences").size());
        assertEquals(0, q.getJsonArray("gaps").size());
        assertEquals(1.0, q.getDouble("coverage"));
        assertEquals(new BigDecimal("60"), new BigDecimal(q.getValue("totalRecordingSeconds").toString()));
        JsonObject seq = q.getJsonArray("sequences").getJsonObject(0);
        assertNull(seq.getValue("sizeBytes"), "XProtect cannot tell sizes: null, not invented");
        assertNull(seq.getValue("fps"));
        assertTrue(seq.getBoolean("available"));
        assertNull(q.getJsonObject("statistics").getValue("averageBitrate"));
        assertNull(q.getJsonObject("metadata").getValue("storageLocation"));
        assertTrue(List.of(14L, 30L).contains(q.getJsonObject("metadata").getLong("retentionDays")),
                q.getJsonObject("metadata").encode());
    }

    @Test
    void aSequenceStraddlingTheStartKeepsItsStableId() throws Exception {
        RecordedSpan s = longSpan(Duration.ofMinutes(90));
        JsonObject whole = query(cameraId, s.begin().minusSeconds(5), s.begin().plusSeconds(60));
        String id = whole.getJsonArray("sequences").getJsonObject(0).getString("sequenceId");
        Instant from = s.begin().plus(Duration.ofMinutes(75)); // another hour block than the sequence's start
        JsonObject straddling = query(cameraId, from, from.plusSeconds(300));
        JsonObject first = straddling.getJsonArray("sequences").getJsonObject(0);
        assertEquals(from, Instant.parse(first.getString("startTime")), "clipped to the range");
        assertEquals(id, first.getString("sequenceId"));
        assertTrue(id.matches("seq_[0-9a-f]{16}"));
    }

    @Test
    void rangeInsideAGapHasNoSequenceAndOneGap() throws Exception {
        List<RecordedSpan> spans = expectedRuns(NOW.minus(Duration.ofDays(8)), NOW.minus(Duration.ofDays(1)));
        RecordedSpan a = null;
        RecordedSpan b = null;
        for (int i = 1; i < spans.size(); i++) {
            if (Duration.between(spans.get(i - 1).end(), spans.get(i).begin()).toSeconds() > 20) {
                a = spans.get(i - 1);
                b = spans.get(i);
                break;
            }
        }
        JsonObject q = query(cameraId, a.end().plusSeconds(5), b.begin().minusSeconds(5));
        assertEquals(0, q.getJsonArray("sequences").size());
        assertEquals(1, q.getJsonArray("gaps").size());
        assertEquals(0.0, q.getDouble("coverage"));
        JsonObject across = query(cameraId, a.end().minusSeconds(3), b.begin().plusSeconds(3));
        assertEquals(2, across.getJsonArray("sequences").size(), "starting and ending inside sequences");
        assertEquals(a.end(), Instant.parse(across.getJsonArray("gaps").getJsonObject(0).getString("startTime")));
        assertEquals(b.begin(), Instant.parse(across.getJsonArray("gaps").getJsonObject(0).getString("endTime")));
    }

    @Test
    void aCameraThatNeverRecordedHasOneGapOverTheWholeRange() throws Exception {
        JsonObject q = query(idleCameraId, NOW.minus(Duration.ofHours(6)), NOW.minus(Duration.ofHours(1)));
        assertEquals(0, q.getJsonArray("sequences").size());
        assertEquals(new BigDecimal("18000"), new BigDecimal(q.getValue("totalGapSeconds").toString()));
    }

    @Test
    void aDayBoundaryAndTheFutureAreHandled() throws Exception {
        Instant midnight = Instant.parse("2026-11-23T00:00:00Z");
        Instant from = midnight.minus(Duration.ofMinutes(30));
        Instant to = midnight.plus(Duration.ofMinutes(30));
        assertMatchesHistory(query(cameraId, from, to), from, to);

        JsonObject future = query(cameraId, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(5)));
        assertEquals(NOW.toString(), future.getJsonObject("queryRange").getString("end"), "clipped to now");
    }

    @Test
    void numbersAgreeOnManyRandomRanges() throws Exception {
        Random r = new Random(11);
        for (int i = 0; i < 40; i++) {
            Instant from = NOW.minus(Duration.ofMinutes(60 + r.nextInt(60 * 24 * 20))).plusMillis(r.nextInt(60_000));
            Instant to = from.plus(Duration.ofMinutes(1 + r.nextInt(60 * 30))).plusMillis(r.nextInt(1000));
            if (to.isAfter(NOW)) {
                to = NOW;
            }
            JsonObject q = query(cameraId, from, to);
            assertMatchesHistory(q, from, to);
            BigDecimal rec = new BigDecimal(q.getValue("totalRecordingSeconds").toString());
            BigDecimal gap = new BigDecimal(q.getValue("totalGapSeconds").toString());
            BigDecimal range = BigDecimal.valueOf(Duration.between(from, to).toMillis(), 3);
            assertEquals(0, rec.add(gap).compareTo(range), "recording + gaps = range for " + from + " .. " + to);
            assertEquals(rec.doubleValue() / range.doubleValue(), q.getDouble("coverage"), 1e-6);

            String res = Duration.between(from, to).toHours() > 24 ? "hour" : "minute";
            JsonObject t = gw.http.get("/api/v1/cameras/" + cameraId + "/recordings/timeline?startTime=" + from
                    + "&endTime=" + to + "&resolution=" + res).json();
            BigDecimal sum = BigDecimal.ZERO;
            for (Object o : t.getJsonArray("timeline")) {
                sum = sum.add(new BigDecimal(((JsonObject) o).getValue("recordedSeconds").toString()));
            }
            assertEquals(0, sum.compareTo(rec), "the timeline's seconds equal the query's");
        }
    }

    @Test
    void minuteTimelineBucketsAreAlignedToTheMinute() throws Exception {
        Instant from = NOW.minus(Duration.ofHours(3)).plusSeconds(17);
        JsonObject t = gw.http.get("/api/v1/cameras/" + cameraId + "/recordings/timeline?startTime=" + from
                + "&endTime=" + from.plus(Duration.ofHours(2)) + "&resolution=minute").json();
        JsonArray buckets = t.getJsonArray("timeline");
        assertEquals(121, buckets.size());
        assertEquals(from.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString(),
                buckets.getJsonObject(0).getString("timestamp"));
        for (Object o : buckets) {
            JsonObject b = (JsonObject) o;
            assertEquals(b.getDouble("coverage") > 0, b.getBoolean("hasRecording"));
            assertTrue(b.getInteger("segmentCount") >= (b.getBoolean("hasRecording") ? 1 : 0));
        }
        JsonObject day = gw.http.get("/api/v1/cameras/" + cameraId + "/recordings/timeline?startTime="
                + NOW.minus(Duration.ofDays(3)) + "&endTime=" + NOW + "&resolution=day&tz=Asia/Dubai").json();
        assertEquals("Asia/Dubai", day.getString("timezone"));
        assertTrue(day.getJsonArray("timeline").getJsonObject(0).getString("timestamp").endsWith("T20:00:00Z"));
    }

    @Test
    void repeatedSlidingQueriesAskXProtectOncePerBlock() throws Exception {
        SimulatedSite.Camera other = gw.simulator.site().cameras().stream()
                .filter(c -> c.enabled() && c.recordingEnabled() && !c.id().equals(deviceId)).findFirst().orElseThrow();
        String cam = importCamera(other.id());
        gw.simulator.requests().clear();
        for (int i = 0; i < 5; i++) {
            Instant now = CLOCK.instant();
            gw.http.get("/api/v1/cameras/" + cam + "/recordings/timeline?startTime=" + now.minus(Duration.ofHours(24))
                    + "&endTime=" + now + "&resolution=minute");
            CLOCK.advance(Duration.ofMillis(500));
        }
        assertEquals(1, sequenceCalls(), "25 hour blocks up to now read once, with one SequencesGetAround (the "
                + "straddler and every sequence after it); then served from the cache");
        CLOCK.advance(Duration.ofSeconds(4));
        gw.http.get("/api/v1/cameras/" + cam + "/recordings/timeline?startTime="
                + CLOCK.instant().minus(Duration.ofHours(24)) + "&endTime=" + CLOCK.instant() + "&resolution=minute");
        for (int i = 0; i < 40 && sequenceCalls() < 2; i++) {
            Thread.sleep(50);
        }
        assertEquals(2, sequenceCalls(), "the block containing now is refreshed (in the background) within a few seconds");
        try (var c = java.sql.DriverManager.getConnection(gw.jdbcUrl, "postgres", "")) {
            var rs = c.createStatement().executeQuery("SELECT count(*) FROM milestone_playback_cache WHERE camera_id = '"
                    + cam + "'");
            rs.next();
            assertEquals(24, rs.getInt(1), "the 24 sealed hour blocks are stored; the live one is not");
        }
    }

    /** The simulator's SequencesGet and SequencesGetAround calls since its log was cleared. */
    private long sequenceCalls() {
        return gw.simulator.requests().entries().stream().filter(e -> e.action() != null
                && (e.action().endsWith("/SequencesGet\"") || e.action().endsWith("/SequencesGetAround\""))).count();
    }

    @Test
    void anXProtectOutageAnswers503ForUncachedRangesWhileCachedOnesStillServe() throws Exception {
        Instant from = NOW.minus(Duration.ofDays(5));
        query(cameraId, from, from.plus(Duration.ofHours(2)));
        gw.simulator.faults().drop("/RecorderCommandService", -1);
        try {
            assertEquals(200, gw.http.post("/api/v1/cameras/" + cameraId + "/recordings/query",
                    new JsonObject().put("startTime", from.toString()).put("endTime", from.plus(Duration.ofHours(2))
                            .toString()).encode()).status());
            Http.Answer uncached = gw.http.post("/api/v1/cameras/" + cameraId + "/recordings/query",
                    new JsonObject().put("startTime", from.minus(Duration.ofDays(2)).toString())
                            .put("endTime", from.minus(Duration.ofDays(1)).toString()).encode());
            assertEquals(503, uncached.status(), uncached.body());
            assertTrue(uncached.header("Retry-After") != null);
        } finally {
            gw.simulator.faults().clear();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "end before start|/timeline?startTime=2026-11-25T10:00:00Z&endTime=2026-11-25T09:00:00Z|endTime must be after startTime",
        "unparsable|/timeline?startTime=yesterday&endTime=2026-11-25T09:00:00Z|'startTime' must be an ISO 8601 time",
        "missing|/sequences?endTime=2026-11-25T09:00:00Z|'startTime' is required",
        "unknown resolution|/timeline?startTime=2026-11-24T10:00:00Z&endTime=2026-11-25T09:00:00Z&resolution=second|must be one of minute, hour, day",
        "too long for minutes|/timeline?startTime=2026-10-01T00:00:00Z&endTime=2026-11-25T09:00:00Z&resolution=minute|longer than the 31 days allowed for minute resolution",
        "bad zone|/timeline?startTime=2026-11-24T10:00:00Z&endTime=2026-11-25T09:00:00Z&resolution=day&tz=Mars/Olympus|'tz' must be a time zone",
        "in the future|/sequences?startTime=2027-01-01T00:00:00Z&endTime=2027-01-02T00:00:00Z|startTime is in the future",
    })
    void badRangesAre400NamingTheProblem(String name, String path, String message) throws Exception {
        Http.Answer a = gw.http.get("/api/v1/cameras/" + cameraId + "/recordings" + path);
        assertEquals(400, a.status(), a.body());
        assertTrue(a.json().getString("error").contains(message), a.body());
    }

    @Test
    void queryBodiesAreValidated() throws Exception {
        Http.Answer missing = gw.http.post("/api/v1/cameras/" + cameraId + "/recordings/query", "{\"startTime\":\"x\"}");
        assertEquals(400, missing.status());
        Http.Answer wrongType = gw.http.post("/api/v1/cameras/" + cameraId + "/recordings/query",
                "{\"startTime\":5,\"endTime\":6}");
        assertEquals(400, wrongType.status());
        assertTrue(wrongType.json().getString("error").contains("'startTime' must be a string"));
        assertEquals(404, gw.http.post("/api/v1/cameras/0b0e0e0e-0000-4000-8000-000000000000/recordings/query",
                "{\"startTime\":\"2026-11-24T10:00:00Z\",\"endTime\":\"2026-11-25T09:00:00Z\"}").status());
    }
}
