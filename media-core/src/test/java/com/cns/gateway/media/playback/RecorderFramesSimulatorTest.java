package com.cns.gateway.media.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.config.ConfigLoader;
import com.cns.gateway.milestone.XProtectClient;
import com.cns.gateway.milestone.imageserver.ImageServerPool;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.xprotect.simulator.CameraProfile;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatedSite;
import com.cns.xprotect.simulator.SimulatorOptions;
import com.cns.xprotect.simulator.XProtectSimulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RecorderFrames over the simulator's ImageServer on loopback: probes and walks as the producers use them. */
class RecorderFramesSimulatorTest {
    private static final Vertx VERTX = Vertx.vertx();
    private static XProtectSimulator sim;
    private static XProtectClient client;
    private static ImageServerPool pool;
    private static RecorderFrames frames;

    @BeforeAll
    static void start() throws Exception {
        sim = new XProtectSimulator(VERTX, SimulatorOptions.defaults());
        String base = await(sim.start());
        client = new XProtectClient(VERTX, ConfigLoader.load(Map.of("MILESTONE_BASE_URL", base, "MILESTONE_USERNAME",
                "admin", "MILESTONE_PASSWORD", "admin")).milestone(), URI.create(base), new SimpleMeterRegistry(),
                Clock.systemUTC());
        pool = new ImageServerPool(VERTX, VERTX.createNetClient(), VERTX.createNetClient(), client.vmsTokens(), 4,
                Duration.ofSeconds(5));
        frames = new RecorderFrames(pool);
    }

    @AfterAll
    static void stop() throws Exception {
        pool.closeAll();
        client.close();
        await(sim.stop());
        await(VERTX.close());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static CameraAddress camera(CameraProfile profile) {
        SimulatedSite site = sim.site();
        SimulatedSite.Camera c = site.cameras().stream().filter(x -> x.enabled() && x.recordingEnabled()
                && site.profile(x.id()) == profile).findFirst().orElseThrow();
        return new CameraAddress(UUID.randomUUID(), c.id(), URI.create(site.recorderOf(c).webServerUri()));
    }

    private static RecordedSpan span(CameraAddress camera) {
        Instant now = Instant.now();
        return sim.history().spans(camera.deviceId(), now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(2)))
                .stream().filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() > 20_000).findFirst()
                .orElseThrow();
    }

    @Test
    void theKeyframeAtOrBeforeATimeIsFoundWithItsCodec() throws Exception {
        CameraAddress cam = camera(CameraProfile.FIXED_GOP);
        long begin = span(cam).begin().toEpochMilli();
        FrameSource.Keyframe k = await(frames.keyframeAtOrBefore(cam, begin + 1500)).orElseThrow();
        assertEquals(new FrameSource.Keyframe(begin + 1000, FrameSource.Codec.H264), k);
        assertEquals(FrameSource.Codec.H265, await(frames.keyframeAtOrBefore(camera(CameraProfile.H265),
                span(camera(CameraProfile.H265)).begin().toEpochMilli() + 10)).orElseThrow().codec());
        assertEquals(FrameSource.Codec.JPEG, await(frames.keyframeAtOrBefore(camera(CameraProfile.JPEG),
                span(camera(CameraProfile.JPEG)).begin().toEpochMilli() + 10)).orElseThrow().codec());
    }

    @Test
    void aWalkTakesEveryFrameUpToTheKeyframeAtOrAfterItsLimit() throws Exception {
        CameraAddress cam = camera(CameraProfile.FIXED_GOP);
        long begin = span(cam).begin().toEpochMilli();
        FrameSource.Walk w = await(frames.walk(cam, begin + 10, begin + 1900, 1000));
        assertEquals(FrameSource.Stop.KEYFRAME, w.stop());
        assertEquals(begin + 2000, w.stopMs());
        assertEquals(50, w.frames().size());
        for (int i = 0; i < 50; i++) {
            assertEquals(begin + 40L * i, w.frames().get(i).timeMs());
            assertEquals(i % 25 == 0, w.frames().get(i).keyframe(), "frame " + i);
            assertTrue(w.frames().get(i).data().length > 0);
        }
    }

    @Test
    void aWalkFromAFrameStartsThereWhateverItsKind() throws Exception {
        CameraAddress cam = camera(CameraProfile.FIXED_GOP);
        long begin = span(cam).begin().toEpochMilli();
        FrameSource.Walk w = await(frames.walkFromFrame(cam, begin + 520, begin + 1000, 1000));
        assertEquals(begin + 520, w.frames().get(0).timeMs());
        assertFalse(w.frames().get(0).keyframe());
        assertEquals(begin + 1000, w.stopMs());
    }

    @Test
    void aWalkStopsAtAGapAndSaysWhereRecordingResumes() throws Exception {
        CameraAddress cam = camera(CameraProfile.FIXED_GOP);
        RecordedSpan s = span(cam);
        List<RecordedSpan> after = sim.history().spans(cam.deviceId(), s.end(), s.end().plus(Duration.ofDays(1)));
        long lastKeyframe = await(frames.keyframeAtOrBefore(cam, s.end().toEpochMilli() - 1)).orElseThrow().timeMs();
        FrameSource.Walk w = await(frames.walk(cam, lastKeyframe, Long.MAX_VALUE, 1000));
        assertEquals(FrameSource.Stop.GAP, w.stop());
        assertEquals(after.get(0).begin().toEpochMilli(), w.stopMs());
        assertTrue(w.frames().get(w.frames().size() - 1).timeMs() < s.end().toEpochMilli());
    }

    @Test
    void aKeyframesOnlyWalkReadsOneKeyframeAGop() throws Exception {
        CameraAddress cam = camera(CameraProfile.VARIABLE_GOP);
        long begin = span(cam).begin().toEpochMilli();
        FrameSource.Walk w = await(frames.walkKeyframes(cam, begin, begin + 20_000));
        assertTrue(w.frames().stream().allMatch(FrameSource.Frame::keyframe));
        // GOPs of 1, 4, 10, 2, 7 and 3 s from the run's start.
        assertEquals(List.of(begin, begin + 1000, begin + 5000, begin + 15_000, begin + 17_000),
                w.frames().stream().map(FrameSource.Frame::timeMs).toList());
        assertEquals(FrameSource.Stop.KEYFRAME, w.stop());
        assertEquals(begin + 24_000, w.stopMs());
    }

    @Test
    void aCameraWithNoRecordingServerFailsAtOnce() {
        CameraAddress unsynced = new CameraAddress(UUID.randomUUID(), "x", null);
        assertInstanceOf(IllegalStateException.class, frames.keyframeAtOrBefore(unsynced, 0).cause());
    }
}
