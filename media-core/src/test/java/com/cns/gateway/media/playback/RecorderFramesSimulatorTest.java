package com.cns.gateway.media.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.media.SimulatedRecorders;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.xprotect.simulator.CameraProfile;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.XProtectSimulator;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RecorderFrames over the simulator's ImageServer on loopback: probes and walks as the producers use them. */
class RecorderFramesSimulatorTest {
    private static SimulatedRecorders recorders;
    private static XProtectSimulator sim;
    private static RecorderFrames frames;

    @BeforeAll
    static void start() throws Exception {
        recorders = new SimulatedRecorders(false);
        sim = recorders.sim;
        frames = new RecorderFrames(recorders.pool);
    }

    @AfterAll
    static void stop() throws Exception {
        recorders.close();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return SimulatedRecorders.await(f);
    }

    private static CameraAddress camera(CameraProfile profile) {
        return recorders.camera(profile);
    }

    private static RecordedSpan span(CameraAddress camera) {
        return recorders.span(camera, 20_000);
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
    void aFoundKeyframeIsKeptForTheNextProbeOfTheSameTimeButNothingFoundIsAskedAgain() throws Exception {
        CameraAddress cam = camera(CameraProfile.FIXED_GOP);
        long begin = span(cam).begin().toEpochMilli();
        long future = System.currentTimeMillis() + 3_600_000;
        RecorderFrames fresh = new RecorderFrames(recorders.pool);
        assertEquals(Optional.of(begin + 2000), await(fresh.firstKeyframeAtOrAfter(cam, begin + 1010)));
        assertEquals(Optional.empty(), await(fresh.firstKeyframeAtOrAfter(cam, future)));
        sim.imageServerDown(true);
        try {
            assertEquals(Optional.of(begin + 2000), await(fresh.firstKeyframeAtOrAfter(cam, begin + 1010)),
                    "kept: the recorder is not asked again");
            assertTrue(failsWhileDown(fresh.firstKeyframeAtOrAfter(cam, future)), "nothing found is not kept");
            assertTrue(failsWhileDown(fresh.firstKeyframeAtOrAfter(cam, begin + 3010)), "another time is asked");
            assertTrue(failsWhileDown(fresh.firstKeyframeAtOrAfter(cam, begin + 3010)), "and a failure is not kept");
        } finally {
            sim.imageServerDown(false);
        }
        assertEquals(Optional.of(begin + 4000), await(fresh.firstKeyframeAtOrAfter(cam, begin + 3010)));
    }

    private static boolean failsWhileDown(Future<?> f) {
        try {
            await(f);
            return false;
        } catch (Exception e) {
            return true;
        }
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
    void aSpanWalkStartsAtTheFrameAtOrBeforeItsStartAndStopsAtItsTimeLimit() throws Exception {
        CameraAddress cam = camera(CameraProfile.FIXED_GOP);
        long begin = span(cam).begin().toEpochMilli();
        FrameSource.Walk w = await(frames.walkSpan(cam, begin + 530, begin + 1200, 1000));
        assertEquals(FrameSource.Stop.LIMIT, w.stop());
        assertEquals(begin + 1200, w.stopMs(), "the limiting frame is not taken");
        assertEquals(begin + 520, w.frames().get(0).timeMs());
        assertEquals(17, w.frames().size(), "520 to 1160 ms, across the keyframe at 1000 ms");
        assertTrue(w.frames().get(12).keyframe());
    }

    @Test
    void aWalkStopsAtAGapAndSaysWhereRecordingResumes() throws Exception {
        CameraAddress cam = camera(CameraProfile.FIXED_GOP);
        // A span followed by a gap longer than the walk's 1 s tolerance (the first span of the week may be
        // followed by one that begins within it, and the walk would then run on through the next).
        Instant now = Instant.now();
        List<RecordedSpan> week = sim.history().spans(cam.deviceId(), now.minus(Duration.ofDays(9)),
                now.minus(Duration.ofDays(2)));
        int i = 0;
        while (Duration.between(week.get(i).end(), week.get(i + 1).begin()).toMillis() <= 2000
                || Duration.between(week.get(i).begin(), week.get(i).end()).toSeconds() < 20) {
            i++;
        }
        RecordedSpan s = week.get(i);
        List<RecordedSpan> after = week.subList(i + 1, week.size());
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
