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
import com.cns.xprotect.simulator.XProtectSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ImageServer transport's settings do not change a frame: with {@code MILESTONE_IMAGESERVER_IN_FLIGHT=4}
 * (requests sent ahead on each connection, including where a walk overshoots its end and the answers
 * still on the way are drained), and over TLS to recorders whose {@code webServerUri} is https,
 * segments hold exactly the frames the simulator recorded.
 */
class PlaybackTransportTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:34:56.789Z");

    @Test
    void segmentsAreTheSameWithRequestsInFlight() throws Exception {
        try (GatewayHarness gw = new GatewayHarness(SimulatorOptions.defaults(),
                Map.of("MILESTONE_IMAGESERVER_IN_FLIGHT", "4"), new TestClock(NOW))) {
            checkSegments(gw);
        }
    }

    @Test
    void segmentsComeOverTlsFromHttpsRecorders() throws Exception {
        Path ca = Files.createTempFile("xprotect-ca", ".pem");
        Files.writeString(ca, XProtectSimulator.caCertificatePem());
        try (GatewayHarness gw = new GatewayHarness(SimulatorOptions.defaults().withTls(true),
                Map.of("MILESTONE_TLS_CA_FILE", ca.toString()), new TestClock(NOW))) {
            assertTrue(gw.simulator.site().recorders().get(0).webServerUri().startsWith("https://"));
            checkSegments(gw);
        } finally {
            Files.deleteIfExists(ca);
        }
    }

    private static void checkSegments(GatewayHarness gw) throws Exception {
        for (CameraProfile profile : List.of(CameraProfile.FIXED_GOP, CameraProfile.BFRAMES)) {
            SimulatedSite.Camera cam = gw.simulator.site().cameras().stream()
                    .filter(c -> c.recordingEnabled() && gw.simulator.site().profile(c.id()) == profile)
                    .findFirst().orElseThrow();
            Http.Answer imported = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + cam.id()
                    + "\"}");
            String camera = imported.json().getString("id");
            RecordedSpan span = gw.simulator.history().spans(cam.id(), NOW.minus(Duration.ofDays(3)),
                    NOW.minus(Duration.ofDays(2))).stream()
                    .filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() > 60_000).findFirst().orElseThrow();
            Instant t = span.begin().plusMillis(12_345);
            Http.Answer list = gw.http.get(PlaybackHlsApiTest.streamPath(camera, t, t.plusSeconds(8)));
            assertEquals(200, list.status(), list.body());
            PlaybackHlsApiTest.Playlist pl = PlaybackHlsApiTest.parse(list.body());
            assertTrue(pl.segments().size() >= 2, list.body());
            for (PlaybackHlsApiTest.Entry e : pl.segments()) {
                MediaProbe.Segment s = MediaProbe.segment(gw.http.bytes("/api/v1/cameras/" + camera + "/playback/"
                        + e.uri()).body());
                assertEquals("", s.warnings());
                assertEquals(gw.simulator.recordedFrameTimes(cam.id(), e.pdtMs(), e.pdtMs() + e.durationMs()),
                        s.seiTimes(), profile + " " + e.uri());
            }
        }
    }
}
