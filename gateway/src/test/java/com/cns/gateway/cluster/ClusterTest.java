package com.cns.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.Await;
import com.cns.gateway.testsupport.Cluster;
import com.cns.gateway.testsupport.EventClient;
import com.cns.gateway.testsupport.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The cluster harness's short scenarios ({@code scripts/cluster.sh}): two gateway instances, one
 * PostgreSQL, the stand-alone simulator and nginx with {@code deploy/nginx/cns-gateway.conf}, each a
 * process of its own, and faults done to them as they happen on a site: an instance killed with
 * SIGKILL, XProtect gone for 30 s, PostgreSQL restarted, every XProtect token expired.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    private static final Path BROWSER = Path.of("src", "test", "browser").toAbsolutePath();
    private static Cluster cluster;
    private static final Map<Integer, String> cameras = new HashMap<>();

    @BeforeAll
    static void startCluster() throws Exception {
        // nginx is on loopback: its X-Forwarded-For names the client.
        cluster = Cluster.start(Path.of(System.getProperty("java.io.tmpdir")), 2, Map.of("HTTP_TRUSTED_PROXIES", "127.0.0.1"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void twentyViewersOfOneMomentReadEachWindowOnceAcrossBothInstances() throws Exception {
        String camera = camera(1);
        String time = recordedMoment(camera);
        double[] before = {productions(1), productions(2)};
        List<String> upstreamBefore = cluster.nginxAccessLog();
        ExecutorService viewers = Executors.newFixedThreadPool(20);
        List<Future<List<String>>> watched = new ArrayList<>();
        for (int v = 0; v < 20; v++) {
            watched.add(viewers.submit(() -> watch(camera, time, 6)));
        }
        Set<String> segments = new LinkedHashSet<>();
        for (Future<List<String>> w : watched) {
            segments.addAll(w.get(2, TimeUnit.MINUTES));
        }
        viewers.shutdown();
        assertEquals(6, segments.size(), "all twenty saw the same six segments: " + segments);
        double[] after = {productions(1), productions(2)};
        double one = after[0] - before[0];
        double two = after[1] - before[1];
        assertTrue((one == 0) != (two == 0), "one instance produced the camera's segments, not both: " + one
                + " and " + two);
        assertTrue(one + two >= 6, "the six windows watched were produced: " + (one + two));

        List<String> log = cluster.nginxAccessLog().subList(upstreamBefore.size(), cluster.nginxAccessLog().size());
        int hits = 0;
        int total = 0;
        Map<String, Integer> upstreamFetches = new HashMap<>();
        Pattern request = Pattern.compile("\"GET (\\S+) ");
        for (String line : log) {
            Matcher m = request.matcher(line);
            if (!m.find() || !m.group(1).contains("/cameras/" + camera + "/playback/hls/")) {
                continue;
            }
            total++;
            if (line.contains("cache=HIT")) {
                hits++;
            } else {
                upstreamFetches.merge(m.group(1), 1, Integer::sum);
            }
        }
        assertEquals(20 * 6, total, "every viewer fetched six segments through nginx");
        upstreamFetches.forEach((path, n) -> assertEquals(1, n, path + " went to a gateway once"));
        double ratio = (double) hits / total;
        System.out.printf("ClusterTest: 20 viewers, %d segment requests, nginx cache hit ratio %.3f%n", total, ratio);
        assertTrue(ratio >= 0.9, "nginx's cache hit ratio " + ratio + " (aim at least 0.9)");
    }

    @Test
    @Order(0)
    void auditRowsSeeTheClientBehindNginxNotNginx() throws Exception {
        // A client at 203.0.113.9 (as a proxy before nginx says): nginx adds its peer, the gateway trusts nginx.
        Http.Answer r = cluster.nginx.anonymous().send("POST", "/api/v1/auth/login",
                new JsonObject().put("username", "behind-nginx").put("password", "wrong").encode(),
                "X-Forwarded-For", "203.0.113.9");
        assertEquals(401, r.status());
        Await.until("the audit row", Duration.ofSeconds(5), () -> !cluster.nginx.get(
                "/api/v1/audit?action=auth.login&user=behind-nginx").json().getJsonArray("entries").isEmpty());
        JsonObject row = cluster.nginx.get("/api/v1/audit?action=auth.login&user=behind-nginx").json().getJsonArray("entries").getJsonObject(0);
        assertEquals("failure", row.getString("outcome"));
        assertEquals("203.0.113.9", row.getString("clientAddress"), row.encode());
    }

    @Test
    @Order(2)
    void xprotectTokensExpiringMidPlaybackAreInvisibleToViewers() throws Exception {
        String camera = camera(2);
        String playlist = signedPlaylist(camera, recordedMoment(camera));
        List<String> first = fetchSegments(camera, playlist, 0, 2);
        assertEquals(2, first.size());
        assertEquals(204, cluster.simulator.post("/simulator/tokens/expire", "").status());
        // New windows need ImageServer (the VMS token) and sequence reads (the IDP token) again.
        List<String> next = fetchSegments(camera, playlist, 2, 4);
        assertEquals(4, next.size(), "the viewer's next segments all came, as if nothing had happened");
    }

    @Test
    @Order(3)
    void aRecordingStopsOnceOnTimeWhenTheInstanceThatStartedItIsKilled() throws Exception {
        String camera = camera(3);
        assertEquals(204, cluster.simulator.delete("/simulator/requests").status());
        try (EventClient onOne = new EventClient(cluster.gateway(1)); EventClient onTwo = new EventClient(cluster.gateway(2))) {
            Http.Answer started = cluster.gateway(1).post("/api/v1/cameras/" + camera + "/recordings/start",
                    "{\"duration\": 25}");
            assertEquals(200, started.status(), started.body());
            Instant end = Instant.parse(started.json().getString("estimatedEndTime"));
            onOne.next("recording_started", Duration.ofSeconds(5));
            onTwo.next("recording_started", Duration.ofSeconds(5));
            cluster.killGateway(1);
            cluster.startGateway(1);
            assertTrue(Instant.now().isBefore(end.minusSeconds(2)), "instance 1 was back before the end");
            try (EventClient onOneAgain = new EventClient(cluster.gateway(1))) {
                JsonObject stopped = onTwo.next("recording_stopped", Duration.ofSeconds(40));
                onOneAgain.next("recording_stopped", Duration.ofSeconds(5));
                Thread.sleep(3000);
                assertEquals(1, count(onTwo.seen(), "recording_stopped"), "one recording_stopped on instance 2");
                assertEquals(1, count(onOneAgain.seen(), "recording_stopped"), "one on the restarted instance 1");
                JsonObject last = stopped.getJsonObject("status").getJsonObject("lastRecording");
                assertEquals("auto", last.getString("stopReason"));
                // The answer's times are whole seconds; the instance that stopped it timed the lag exactly.
                long lateMs = Duration.between(end, Instant.parse(last.getString("endTime"))).toMillis();
                assertTrue(lateMs >= 0 && lateMs <= 1000, "stopped in the second of its end: " + lateMs + " ms");
                double lagS = Math.max(metric(1, "gateway_recording_autostop_lag_seconds_max"),
                        metric(2, "gateway_recording_autostop_lag_seconds_max"));
                System.out.printf("ClusterTest: stopped %.0f ms after its end%n", lagS * 1000);
                assertTrue(lagS > 0 && lagS <= 1.0, "stopped within 1 s of its end: " + lagS + " s");
            }
        }
        JsonArray requests = new JsonArray(cluster.simulator.get("/simulator/requests").body());
        long stops = requests.stream().map(JsonObject.class::cast)
                .filter(r -> String.valueOf(r.getString("action")).contains("StopManualRecording")).count();
        assertEquals(1, stops, "one StopManualRecording reached XProtect");
        assertFalse(cluster.simulator.get("/simulator/cameras/" + device(3) + "/manual-recording").json()
                .getBoolean("isManualRecording"));
    }

    @Test
    @Order(4)
    void hlsJsKeepsPlayingWhenTheInstanceServingItIsKilled() throws Exception {
        String camera = camera(4);
        String playlist = signedPlaylist(camera, recordedMoment(camera));
        Process player = new ProcessBuilder("node", BROWSER.resolve("cluster-failover.mjs").toString(),
                cluster.nginx.base(), playlist, "20").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(player.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("playing", out.readLine());
        int owner = ownerOf(camera);
        Thread.sleep(2000);
        cluster.killGateway(owner);
        try {
            String line = out.readLine();
            assertTrue(player.waitFor(90, TimeUnit.SECONDS));
            assertNotNull(line, "the player reported");
            JsonObject r = new JsonObject(line);
            System.out.println("ClusterTest: instance " + owner + " killed mid-playback: " + r);
            assertTrue(r.getJsonArray("errors").stream().noneMatch(e -> e.toString().endsWith(":fatal")),
                    "no fatal hls.js error: " + r);
            // 20 s of wall time: the video went on (a stall of a second or two at most).
            assertTrue(r.getDouble("advanced") >= 17, "the video went on: " + r);
            assertTrue(r.getLong("longestStillMs") <= 3000, "it never stood still long: " + r);
        } finally {
            cluster.startGateway(owner);
        }
    }

    @Test
    @Order(5)
    void postgresqlRestartedUnderLoadLosesNoSession() throws Exception {
        String camera = camera(5);
        Http.Answer started = cluster.nginx.post("/api/v1/cameras/" + camera + "/recordings/start", "{\"duration\": 20}");
        assertEquals(200, started.status(), started.body());
        String recording = started.json().getString("recordingId");
        Thread down = new Thread(() -> {
            try {
                cluster.restartPostgres(4);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        down.start();
        // Both polled in turn: each probe answers within the readiness check's 2 s bound.
        boolean[] seenDown = new boolean[3];
        Await.until("both instances not ready while PostgreSQL is down", Duration.ofSeconds(15), () -> {
            for (int i = 1; i <= 2; i++) {
                seenDown[i] |= status(cluster.gateway(i), "/health/ready") == 503;
            }
            return seenDown[1] && seenDown[2];
        });
        down.join();
        for (int i = 1; i <= 2; i++) {
            int instance = i;
            Await.until("instance " + i + " ready again", Duration.ofSeconds(20),
                    () -> status(cluster.gateway(instance), "/health/ready") == 200);
        }
        Await.until("the recording stopped at its end", Duration.ofSeconds(40), () -> {
            JsonObject s = cluster.nginx.get("/api/v1/cameras/" + camera + "/recordings/status").json();
            return !s.getBoolean("isRecording");
        });
        JsonObject last = cluster.nginx.get("/api/v1/cameras/" + camera + "/recordings/status").json()
                .getJsonObject("lastRecording");
        assertEquals(recording, last.getString("recordingId"), "the same session, not lost");
        assertEquals("auto", last.getString("stopReason"));
        assertFalse(cluster.simulator.get("/simulator/cameras/" + device(5) + "/manual-recording").json()
                .getBoolean("isManualRecording"), "XProtect is not left recording");
    }

    @Test
    @Order(6)
    void xprotectDownForThirtySecondsAnswers503FastServesSealedSegmentsAndRecovers() throws Exception {
        String viewed = camera(6);
        String playlist = signedPlaylist(viewed, recordedMoment(viewed));
        List<String> cached = fetchSegments(viewed, playlist, 0, 2);
        String recording = camera(3);
        Http.Answer started = cluster.nginx.post("/api/v1/cameras/" + recording + "/recordings/start",
                "{\"duration\": 40}");
        assertEquals(200, started.status(), started.body());
        String fresh = camera(7);
        String freshTime = recordedMoment(fresh);

        assertEquals(202, cluster.simulator.post("/simulator/outage?seconds=30", "").status());
        Instant outage = Instant.now();
        Thread.sleep(1000);

        long t0 = System.nanoTime();
        Http.Answer play = cluster.nginx.post("/api/v1/cameras/" + fresh + "/playback/control",
                new JsonObject().put("action", "play").put("timestamp", freshTime).encode());
        long playMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, play.status(), play.body());
        assertNotNull(play.header("Retry-After"), "503 says when to retry");
        t0 = System.nanoTime();
        Http.Answer start = cluster.nginx.post("/api/v1/cameras/" + fresh + "/recordings/start", "{\"duration\": 60}");
        long startMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, start.status(), start.body());
        System.out.println("ClusterTest: XProtect down: new playback answered 503 in " + playMs
                + " ms, recording start in " + startMs + " ms");
        assertTrue(playMs <= 2000 && startMs <= 2000, "503 within 2 s: " + playMs + ", " + startMs + " ms");
        for (String segment : cached) {
            assertEquals(200, cluster.nginx.anonymous().bytes(segment).statusCode(), "sealed segments still play");
        }

        Await.until("XProtect back", Duration.ofSeconds(45),
                () -> status(cluster.simulator, "/simulator/site") == 200);
        Instant back = Instant.now();
        Await.until("new playback within 5 s of XProtect's return", Duration.ofSeconds(5), () ->
                cluster.nginx.post("/api/v1/cameras/" + fresh + "/playback/control", new JsonObject()
                        .put("action", "play").put("timestamp", freshTime).encode()).status() == 200);
        System.out.println("ClusterTest: XProtect down " + Duration.between(outage, back).toMillis()
                + " ms; playback again " + Duration.between(back, Instant.now()).toMillis() + " ms after its return");
        Await.until("the recording that ran through the outage stopped", Duration.ofSeconds(60), () ->
                !cluster.nginx.get("/api/v1/cameras/" + recording + "/recordings/status").json().getBoolean("isRecording"));
        assertEquals("auto", cluster.nginx.get("/api/v1/cameras/" + recording + "/recordings/status").json()
                .getJsonObject("lastRecording").getString("stopReason"));
        assertFalse(cluster.simulator.get("/simulator/cameras/" + device(3) + "/manual-recording").json()
                .getBoolean("isManualRecording"), "XProtect is not left recording");
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** A viewer: the playlist of {@code time}, then its first {@code n} segments, all through nginx. */
    private static List<String> watch(String camera, String time, int n) throws Exception {
        return fetchSegments(camera, signedPlaylist(camera, time), 0, n);
    }

    /** Segments {@code from} … {@code from + n - 1} of a playlist, reloading it until it lists them; each must answer 200. */
    private static List<String> fetchSegments(String camera, String playlist, int from, int n) throws Exception {
        List<String> fetched = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (fetched.size() < n && System.nanoTime() < deadline) {
            Http.Answer list = cluster.nginx.anonymous().get(playlist);
            assertEquals(200, list.status(), list.body());
            List<String> uris = list.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            for (int i = from + fetched.size(); i < Math.min(uris.size(), from + n); i++) {
                String path = "/api/v1/cameras/" + camera + "/playback/" + uris.get(i);
                var segment = cluster.nginx.anonymous().bytes(path);
                assertEquals(200, segment.statusCode(), path);
                fetched.add(path);
            }
            if (fetched.size() < n) {
                Thread.sleep(500);
            }
        }
        return fetched;
    }

    private static String signedPlaylist(String camera, String time) throws Exception {
        Http.Answer control = cluster.nginx.post("/api/v1/cameras/" + camera + "/playback/control",
                new JsonObject().put("action", "play").put("timestamp", time).encode());
        assertEquals(200, control.status(), control.body());
        return control.json().getString("playlistUrl");
    }

    /** A time 20 s into a recorded run of at least two minutes in the last day. */
    private static String recordedMoment(String camera) throws Exception {
        Instant now = Instant.now();
        Http.Answer q = cluster.nginx.post("/api/v1/cameras/" + camera + "/recordings/query", new JsonObject()
                .put("startTime", now.minus(Duration.ofHours(24)).toString())
                .put("endTime", now.minus(Duration.ofHours(1)).toString()).encode());
        assertEquals(200, q.status(), q.body());
        for (Object o : q.json().getJsonArray("sequences")) {
            JsonObject s = (JsonObject) o;
            Instant start = Instant.parse(s.getString("startTime"));
            if (Duration.between(start, Instant.parse(s.getString("endTime"))).toSeconds() >= 120) {
                return start.plusSeconds(20).toString();
            }
        }
        throw new AssertionError("no long recorded run of " + camera);
    }

    /** The CNS id of simulator camera {@code n} ("Camera 0n"), imported on first use. */
    private static synchronized String camera(int n) throws Exception {
        if (!cameras.containsKey(n)) {
            Http.Answer imported = cluster.nginx.post("/api/v1/cameras/import",
                    new JsonObject().put("milestoneDeviceId", device(n)).encode());
            assertEquals(201, imported.status(), imported.body());
            cameras.put(n, imported.json().getString("id"));
        }
        return cameras.get(n);
    }

    /** The XProtect id of simulator camera {@code n}: camera 1 is the first, an H.264 one. */
    private static String device(int n) throws Exception {
        // The simulator's H.264 cameras that record and are enabled: Camera 05 and 10 do not record, 08 is
        // H.265, 09 JPEG, 11 disabled.
        int[] h264 = {0, 1, 2, 3, 4, 6, 7, 12};
        String name = String.format("Camera %02d", h264[n]);
        JsonArray all = cluster.nginx.get("/api/v1/milestone/cameras?limit=100").json().getJsonArray("cameras");
        return all.stream().map(JsonObject.class::cast).filter(c -> c.getString("name").startsWith(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name)).getString("id");
    }

    /** The instance nginx sends the camera's requests to, from its access log. */
    private static int ownerOf(String camera) throws Exception {
        Pattern upstream = Pattern.compile("upstream=127\\.0\\.0\\.1:(\\d+)");
        List<String> log = cluster.nginxAccessLog();
        for (int i = log.size() - 1; i >= 0; i--) {
            String line = log.get(i);
            Matcher m = upstream.matcher(line);
            if (line.contains("/cameras/" + camera + "/") && m.find()) {
                for (int g = 1; g <= cluster.gateways; g++) {
                    if (cluster.gateway(g).base().endsWith(":" + m.group(1))) {
                        return g;
                    }
                }
            }
        }
        throw new AssertionError("nginx sent nothing of " + camera + " to a gateway");
    }

    /** The sum of a meter's series on one instance's /metrics (0 when absent). */
    private static double metric(int instance, String name) throws Exception {
        String metrics = cluster.gateway(instance).anonymous().get("/metrics").body();
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Segments this instance produced so far (the count of its production timer). */
    private static double productions(int instance) throws Exception {
        return metric(instance, "gateway_playback_segment_production_seconds_count");
    }

    private static int status(Http http, String path) {
        try {
            return http.get(path).status();
        } catch (Exception e) {
            return -1;
        }
    }

    private static long count(List<JsonObject> events, String type) {
        return events.stream().filter(e -> type.equals(e.getString("type"))).count();
    }
}
