package com.cns.gateway.media.playback;

import static com.cns.gateway.media.playback.PlaybackRig.CAMERA;
import static com.cns.gateway.media.playback.PlaybackRig.T0;
import static com.cns.gateway.media.playback.PlaybackRig.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.media.hls.Segment;
import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.recordingindex.KeyframeIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class SegmentProducerTest {
    private static List<Long> range(long fromMs, long toMs, long stepMs) {
        List<Long> out = new ArrayList<>();
        for (long t = fromMs; t < toMs; t += stepMs) {
            out.add(t);
        }
        return out;
    }

    private static SegmentName window(long startMs) {
        return SegmentName.window(Rendition.NORMAL, startMs, PlaybackRig.GRID);
    }

    private static Segment produce(PlaybackRig rig, long startMs) throws Exception {
        return await(rig.producer.produce(CAMERA, window(startMs))).orElseThrow();
    }

    @Test
    void aWindowHoldsEveryFrameFromItsFirstKeyframeToTheFirstKeyframeAtOrAfterItsEnd() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 20_000), T0 + 600_000)) {
            Segment s = produce(rig, T0 + 4000);
            assertEquals(range(T0 + 4000, T0 + 8000, 40), FakeRecording.times(bytes(s)));
            assertEquals(new KeyframeIndex.Bounds(T0 + 4000, T0 + 8000, false, -1, 100), s.bounds());
            assertTrue(s.complete());
            assertTrue(s.sealed(T0 + 600_000));
            assertEquals(s.etag(), produce(rig, T0 + 4000).etag(), "the ETag is a hash of the bytes");
        }
    }

    @Test
    void aWindowWhoseFirstKeyframeIsLateRunsOnToTheKeyframeAfterItsEnd() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 20_000, 40, 3000,
                FrameSource.Codec.H264), T0 + 600_000)) {
            Segment s = produce(rig, T0 + 4000);
            assertEquals(range(T0 + 6000, T0 + 9000, 40), FakeRecording.times(bytes(s)));
            assertEquals(T0 + 9000, s.bounds().endMs());
        }
    }

    @Test
    void aGapInsideTheWindowEndsTheSegmentAndSaysWhereRecordingResumes() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 5000).run(T0 + 6000, T0 + 20_000),
                T0 + 600_000)) {
            Segment s = produce(rig, T0 + 4000);
            assertEquals(range(T0 + 4000, T0 + 5000, 40), FakeRecording.times(bytes(s)));
            assertEquals(new KeyframeIndex.Bounds(T0 + 4000, T0 + 5000, true, T0 + 6000, 25), s.bounds());
            assertTrue(s.complete(), "a gap closes the window");
        }
    }

    @Test
    void aGapBeforeTheWindowsFirstKeyframeStartsItWhereRecordingResumes() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 3500).run(T0 + 4500, T0 + 20_000),
                T0 + 600_000)) {
            Segment s = produce(rig, T0 + 4000);
            assertEquals(range(T0 + 4500, T0 + 8500, 40), FakeRecording.times(bytes(s)));
            assertFalse(s.bounds().gapAfter());
        }
    }

    @Test
    void aWindowIsWalkedInPiecesAllAskedAtOnce() throws Exception {
        FakeRecording r = new FakeRecording().run(T0, T0 + 20_000);
        try (PlaybackRig rig = new PlaybackRig(r, T0 + 600_000)) {
            io.vertx.core.Promise<Void> gate = r.hold();
            var segment = rig.producer.produce(CAMERA, window(T0 + 4000));
            for (long deadline = System.nanoTime() + 5_000_000_000L; r.walksAsked() < SegmentProducer.PIECES_PER_WINDOW
                    && System.nanoTime() < deadline; ) {
                Thread.sleep(1);
            }
            assertEquals(SegmentProducer.PIECES_PER_WINDOW, r.walksAsked());
            assertEquals(0, r.walks(), "no piece has run yet: they were all asked before any answered");
            gate.complete();
            Segment s = await(segment).orElseThrow();
            assertEquals(range(T0 + 4000, T0 + 8000, 40), FakeRecording.times(bytes(s)), "each frame once, in order");
            assertEquals(SegmentProducer.PIECES_PER_WINDOW, r.walks());
        }
    }

    @Test
    void aWindowAViewerWaitsForIsReadInMorePiecesOneMadeAheadInFewer() throws Exception {
        FakeRecording r = new FakeRecording().run(T0, T0 + 20_000);
        try (PlaybackRig rig = new PlaybackRig(r, T0 + 600_000)) {
            Segment first = await(rig.producer.produce(CAMERA, window(T0 + 4000),
                    com.cns.gateway.media.cache.ProductionPriority.FIRST)).orElseThrow();
            assertEquals(range(T0 + 4000, T0 + 8000, 40), FakeRecording.times(bytes(first)), "each frame once, in order");
            assertEquals(SegmentProducer.URGENT_PIECES, r.walks());
            Segment ahead = await(rig.producer.produce(CAMERA, window(T0 + 8000),
                    com.cns.gateway.media.cache.ProductionPriority.BACKGROUND)).orElseThrow();
            assertEquals(range(T0 + 8000, T0 + 12_000, 40), FakeRecording.times(bytes(ahead)));
            assertEquals(SegmentProducer.URGENT_PIECES + SegmentProducer.AHEAD_PIECES, r.walks());
        }
    }

    @Test
    void aWindowIsCutIntoNoMorePiecesThanTheRecorderHasConnectionsToSpare() throws Exception {
        FakeRecording r = new FakeRecording().run(T0, T0 + 20_000);
        try (PlaybackRig rig = new PlaybackRig(r, T0 + 600_000)) {
            r.spare(5);
            Segment s = await(rig.producer.produce(CAMERA, window(T0 + 4000),
                    com.cns.gateway.media.cache.ProductionPriority.FIRST)).orElseThrow();
            assertEquals(range(T0 + 4000, T0 + 8000, 40), FakeRecording.times(bytes(s)), "each frame once, in order");
            assertEquals(5, r.walks(), "five spare connections: five pieces, not sixteen");
        }
    }

    @Test
    void aWindowOfACrowdedRecorderIsWalkedInTwoPieces() throws Exception {
        FakeRecording r = new FakeRecording().run(T0, T0 + 20_000);
        try (PlaybackRig rig = new PlaybackRig(r, T0 + 600_000)) {
            r.crowded(true);
            Segment s = produce(rig, T0 + 4000);
            assertEquals(range(T0 + 4000, T0 + 8000, 40), FakeRecording.times(bytes(s)), "each frame once, in order");
            assertEquals(SegmentProducer.CROWDED_PIECES, r.walks(), "every piece costs a connection it would wait for");
        }
    }

    @Test
    void piecesWhoseStartsFallBetweenFramesHoldEachFrameOnceAcrossAGap() throws Exception {
        // 30 fps (frames 33 ms apart, mostly not on a piece's start), a keyframe every 61 frames (2013 ms),
        // the last frame before a gap at 5247 ms and recording resuming at 6600 ms; pieces start every 500 ms
        // from the keyframe at 4026 ms, two of them inside the gap.
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 5280, 33, 2013, FrameSource.Codec.H264)
                .run(T0 + 6600, T0 + 20_000, 33, 2013, FrameSource.Codec.H264), T0 + 600_000)) {
            Segment s = produce(rig, T0 + 4000);
            assertEquals(range(T0 + 4026, T0 + 5280, 33), FakeRecording.times(bytes(s)));
            assertEquals(new KeyframeIndex.Bounds(T0 + 4026, T0 + 5280, true, T0 + 6600, 38), s.bounds());
        }
    }

    @Test
    void aKeyframeFarBeyondAGapCostsAtMostTwoWindowsOfPieces() throws Exception {
        FakeRecording r = new FakeRecording().run(T0, T0 + 5000).run(T0 + 3_600_000, T0 + 3_700_000);
        try (PlaybackRig rig = new PlaybackRig(r, T0 + 7_200_000)) {
            Segment s = produce(rig, T0 + 4000);
            assertEquals(range(T0 + 4000, T0 + 5000, 40), FakeRecording.times(bytes(s)));
            assertEquals(T0 + 3_600_000, s.bounds().resumeMs());
            assertTrue(r.walks() <= 2 * SegmentProducer.PIECES_PER_WINDOW, r.walks() + " walks");
        }
    }

    @Test
    void theLastFramesAtTheLiveEdgeAreNotFinalUntilTheSealingDelayPassed() throws Exception {
        FakeRecording r = new FakeRecording().run(T0, T0 + 6000);
        try (PlaybackRig live = new PlaybackRig(r, T0 + 6010); PlaybackRig later = new PlaybackRig(r, T0 + 60_000)) {
            Segment s = produce(live, T0 + 4000);
            assertEquals(new KeyframeIndex.Bounds(T0 + 4000, T0 + 6000, true, -1, 50), s.bounds());
            assertFalse(s.complete());
            assertFalse(s.sealed(T0 + 6010));
            assertTrue(produce(later, T0 + 4000).complete());
        }
    }

    @Test
    void aWindowInAGapHoldsNothing() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 3000).run(T0 + 20_000, T0 + 30_000),
                T0 + 600_000)) {
            assertEquals(Optional.empty(), await(rig.producer.produce(CAMERA, window(T0 + 8000))));
        }
    }

    @Test
    void aCameraNotRecordingH264FailsNamingItsCodec() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 20_000, 40, 1000,
                FrameSource.Codec.H265), T0 + 600_000)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> produce(rig, T0 + 4000));
            UnsupportedCodecException u = assertInstanceOf(UnsupportedCodecException.class, e.getCause());
            assertEquals(FrameSource.Codec.H265, u.codec());
            assertTrue(u.getMessage().contains("H.265"), u.getMessage());
        }
    }

    @Test
    void theEncoderRunsOnAWorkerThreadNeverAnEventLoop() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 20_000), T0 + 600_000)) {
            rig.vertx.runOnContext(v -> rig.producer.produce(CAMERA, window(T0)));
            await(rig.vertx.<Segment>executeBlocking(() -> {
                while (rig.encoder.threads.isEmpty()) {
                    Thread.sleep(5);
                }
                return null;
            }));
            assertTrue(rig.encoder.threads.get(0).startsWith("cns-test-encoders"), rig.encoder.threads.toString());
        }
    }

    @Test
    void frameIntervalIsTheSmallestStepBetweenPictures() {
        assertEquals(40, SegmentProducer.frameInterval(new long[] {0, 40, 120, 160}));
        assertEquals(40, SegmentProducer.frameInterval(new long[] {7}), "one frame alone: 25 fps");
        assertEquals(200, SegmentProducer.frameInterval(new long[] {0, 0, 200}), "equal times are no step");
    }

    static byte[] bytes(Segment s) {
        byte[] b = new byte[s.size()];
        s.view().get(b);
        return b;
    }
}
