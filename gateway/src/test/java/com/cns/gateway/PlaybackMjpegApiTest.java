package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.TestClock;
import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.xprotect.simulator.CameraProfile;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatedSite;
import com.cns.xprotect.simulator.SimulatorOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code format=mjpeg}: JPEG parts paced in real time at the speed, backward too, each with its
 * recording time; the stream ends at the asked end; a client that goes away stops the recorder walk.
 */
class PlaybackMjpegApiTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:34:56.789Z");
    private static GatewayHarness gw;
    private static String camera;
    private static String device;
    private static RecordedSpan span;
    private static String idle;

    /** One part of a multipart stream: its headers and body. */
    record Part(Map<String, String> headers, byte[] body) {
        long recordingTime() {
            return Instant.parse(headers.get("x-recording-time")).toEpochMilli();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness(SimulatorOptions.defaults(), Map.of(), new TestClock(NOW));
        SimulatedSite.Camera c = gw.simulator.site().cameras().stream().filter(x -> x.recordingEnabled()
                && gw.simulator.site().profile(x.id()) == CameraProfile.FIXED_GOP).findFirst().orElseThrow();
        Http.Answer a = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + c.id() + "\"}");
        assertEquals(201, a.status(), a.body());
        camera = a.json().getString("id");
        device = c.id();
        SimulatedSite.Camera quiet = gw.simulator.site().cameras().stream().filter(x -> x.enabled()
                && !x.recordingEnabled()).findFirst().orElseThrow();
        Http.Answer b = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + quiet.id() + "\"}");
        assertEquals(201, b.status(), b.body());
        idle = b.json().getString("id");
        span = gw.simulator.history().spans(device, NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2)))
                .stream().filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() >= 120_000).findFirst()
                .orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static HttpResponse<InputStream> open(Instant t, Instant end, String speed) throws Exception {
        String path = PlaybackHlsApiTest.streamPath(camera, t, end) + "&speed=" + speed + "&format=mjpeg";
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                URI.create(gw.http.base() + path)).header("Authorization", "Bearer " + gw.http.token())
                .timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** The next part, or null at the closing boundary. */
    private static Part part(InputStream in) throws IOException {
        String boundary = line(in);
        if (boundary.isEmpty()) {
            boundary = line(in);
        }
        if (boundary.equals("--cnsframe--") || boundary.isEmpty()) {
            return null;
        }
        assertEquals("--cnsframe", boundary);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(), h.substring(colon + 1).trim());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        line(in);
        return new Part(headers, body);
    }

    private static List<Part> all(HttpResponse<InputStream> r) throws IOException {
        List<Part> out = new ArrayList<>();
        try (InputStream in = r.body()) {
            for (Part p = part(in); p != null; p = part(in)) {
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void picturesComeInRealTimeEachWithItsRecordingTime() throws Exception {
        Instant t = span.begin().plusMillis(30_010);
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = open(t, t.plusSeconds(2), "1");
        assertEquals(200, r.statusCode());
        assertEquals("multipart/x-mixed-replace; boundary=cnsframe", r.headers().firstValue("Content-Type").orElse(""));
        List<Part> parts = all(r);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Long> recorded = gw.simulator.recordedFrameTimes(device, t.toEpochMilli() - 40, t.toEpochMilli() + 2000);
        assertTrue(parts.size() >= 40, parts.size() + " parts for 2 s at 25 fps");
        assertEquals(t.toEpochMilli() - 10, parts.get(0).recordingTime(), "the first is the frame shown at the time");
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            assertEquals("image/jpeg", p.headers().get("content-type"));
            assertTrue(p.headers().get("x-recording-time").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                    p.headers().get("x-recording-time"));
            assertEquals(0xFF, p.body()[0] & 0xFF);
            assertEquals(0xD8, p.body()[1] & 0xFF);
            assertTrue(recorded.contains(p.recordingTime()), "a recorded frame: " + p.recordingTime());
            assertTrue(i == 0 || p.recordingTime() > parts.get(i - 1).recordingTime(), "forward");
        }
        assertTrue(seconds >= 1.8, "paced in real time: 2 s of recording took " + seconds + " s");
    }

    @Test
    void backwardAndFastSpeedsPaceTheirOwnWay() throws Exception {
        Instant t = span.begin().plusMillis(60_000);
        long t0 = System.nanoTime();
        List<Part> back = all(open(t, t.minusSeconds(2), "-2"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(back.size() >= 15, back.size() + " parts");
        for (int i = 1; i < back.size(); i++) {
            assertTrue(back.get(i).recordingTime() < back.get(i - 1).recordingTime(), "backward");
        }
        assertTrue(back.get(back.size() - 1).recordingTime() > t.toEpochMilli() - 2000, "ends at the asked end");
        assertTrue(seconds >= 0.9 && seconds < 10, "2 s of recording at -2x took " + seconds + " s");

        t0 = System.nanoTime();
        List<Part> fast = all(open(t, t.plusSeconds(16), "8"));
        seconds = (System.nanoTime() - t0) / 1e9;
        List<Long> keyframes = gw.simulator.recordedKeyframeTimes(device, t.toEpochMilli(), t.toEpochMilli() + 16_000);
        assertEquals(keyframes, fast.stream().map(Part::recordingTime).toList(), "8x shows the keyframes");
        assertTrue(seconds >= 1.7 && seconds < 10, "16 s of recording at 8x took " + seconds + " s");
    }

    @Test
    void aClientGoingAwayStopsTheRecorderWalkAtOnce() throws Exception {
        HttpResponse<InputStream> r = open(span.begin().plusSeconds(10), null, "1");
        InputStream in = r.body();
        for (int i = 0; i < 3; i++) {
            assertTrue(part(in) != null);
        }
        int streaming = gw.simulator.openImageServerConnections();
        assertTrue(streaming >= 1, "a recorder connection streams");
        in.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (gw.simulator.openImageServerConnections() >= streaming && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(streaming - 1, gw.simulator.openImageServerConnections(),
                "its connection closed when the client left");
    }

    @Test
    void nothingRecordedAnswersJson() throws Exception {
        Http.Answer a = gw.http.get(PlaybackHlsApiTest.streamPath(idle, span.begin(), null) + "&format=mjpeg&speed=-1");
        assertEquals(404, a.status(), a.body());
        assertTrue(a.json().getString("error").contains("Nothing is recorded"), a.body());
    }
}
