package com.cns.gateway.media.playback;

import static com.cns.gateway.media.playback.PlaybackRig.CAMERA;
import static com.cns.gateway.media.playback.PlaybackRig.T0;
import static com.cns.gateway.media.playback.PlaybackRig.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.media.hls.Segment;
import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.media.hls.Speed;
import com.cns.gateway.recordingindex.KeyframeIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keyframes-only renditions at speeds forward and backward, over a fake recording (1 s GOPs unless said). */
class KeyframeRenditionTest {
    private static final long WRAP = 1L << 33;

    private static Rendition keyframes(Speed s) {
        return new Rendition(s, Rendition.Mode.KEYFRAMES);
    }

    private static SegmentWindowPlannerTest.Listed playlist(PlaybackRig rig, Rendition r, long timeMs, Long endMs)
            throws Exception {
        String text = await(rig.playback.playlist(CAMERA, r, Instant.ofEpochMilli(timeMs),
                endMs == null ? null : Instant.ofEpochMilli(endMs))).text();
        assertTrue(text.contains("#EXT-X-CNS-SPEED:" + r.speed().token() + "\n"), text);
        assertTrue(text.contains("#EXT-X-CNS-MODE:keyframes\n"), text);
        return SegmentWindowPlannerTest.parse(text);
    }

    private static Segment segment(PlaybackRig rig, Rendition r, long startMs) throws Exception {
        return await(rig.playback.segment(CAMERA, SegmentName.window(r, startMs, PlaybackRig.GRID))).orElseThrow();
    }

    private static List<Long> pts(Segment s) {
        return RemuxEncoderTest.timestamps(SegmentProducerTest.bytes(s)).stream().map(t -> t[0]).toList();
    }

    private static String uri(Rendition r, long startMs, long lengthMs) {
        return "hls/v1/" + r + "/" + startMs + "_" + lengthMs + ".ts";
    }

    @Test
    void fourTimesListsWindowsOfFourGridLengthsEachPlayingOneGridLength() throws Exception {
        Rendition r = keyframes(Speed.FOUR);
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 120_000), T0 + 600_000)) {
            SegmentWindowPlannerTest.Listed l = playlist(rig, r, T0 + 5500, null);
            assertEquals(List.of(uri(r, T0, 16_000), uri(r, T0 + 16_000, 16_000), uri(r, T0 + 32_000, 16_000)),
                    l.uris());
            assertEquals(List.of(4000L, 4000L, 4000L), l.entries().stream().map(e -> e.durationMs()).toList());
            assertEquals(List.of(T0, T0 + 16_000, T0 + 32_000), l.entries().stream().map(e -> e.pdtMs()).toList());
            assertEquals(1375, l.startOffsetMs(), "5.5 s of recording into the window is 1.375 s of output");
            assertEquals(7, l.targetDuration(), "(window + longest GOP) / 4, rounded up");
        }
    }

    @Test
    void forwardSegmentsHoldTheWindowsKeyframesAtRecordingTimeOverSpeed() throws Exception {
        Rendition r = keyframes(Speed.FOUR);
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 120_000), T0 + 600_000)) {
            Segment s = segment(rig, r, T0 + 16_000);
            assertEquals(new KeyframeIndex.Bounds(T0 + 16_000, T0 + 32_000, false, -1, 16), s.bounds());
            List<Long> expected = new ArrayList<>();
            for (long k = T0 + 16_000; k < T0 + 32_000; k += 1000) {
                expected.add(Math.floorMod(Math.round(k / 4.0 * 90), WRAP));
            }
            assertEquals(expected, pts(s));
            assertEquals(Math.floorMod(Math.round((T0 + 32_000) / 4.0 * 90), WRAP),
                    pts(segment(rig, r, T0 + 32_000)).get(0), "the next segment starts where this one ends");
        }
    }

    @Test
    void halfSpeedShowsEachKeyframeTwiceAsLong() throws Exception {
        Rendition r = keyframes(Speed.HALF);
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 20_000), T0 + 600_000)) {
            SegmentWindowPlannerTest.Listed l = playlist(rig, r, T0 + 4000, T0 + 10_000);
            assertEquals(uri(r, T0 + 4000, 2000), l.uris().get(0));
            assertEquals(4000L, l.entries().get(0).durationMs());
            assertEquals(List.of(Math.floorMod((T0 + 4000) * 180, WRAP), Math.floorMod((T0 + 5000) * 180, WRAP)),
                    pts(segment(rig, r, T0 + 4000)));
        }
    }

    @Test
    void backwardPlaylistsRunBackToTheStartOfTheRun() throws Exception {
        Rendition r = keyframes(Speed.REVERSE_1);
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 120_000), T0 + 600_000)) {
            SegmentWindowPlannerTest.Listed l = playlist(rig, r, T0 + 10_500, null);
            assertEquals(List.of(uri(r, T0 + 8000, 4000), uri(r, T0 + 4000, 4000), uri(r, T0, 4000)), l.uris());
            assertEquals(List.of(T0 + 12_000, T0 + 8000, T0 + 4000), l.entries().stream().map(e -> e.pdtMs()).toList(),
                    "each segment's date is where its backward run starts");
            assertEquals(1500, l.startOffsetMs(), "from 12 s back to 10.5 s");
            assertTrue(l.ended(), "the run starts at T0");
            assertFalse(l.entries().stream().anyMatch(e -> e.discontinuity()));
        }
    }

    @Test
    void backwardSegmentsShowTheirKeyframesLastFirstWithTimeRunningForward() throws Exception {
        Rendition r = keyframes(Speed.REVERSE_2);
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 120_000), T0 + 600_000)) {
            Segment s = segment(rig, r, T0 + 8000);
            assertEquals(new KeyframeIndex.Bounds(T0 + 8000, T0 + 16_000, false, -1, 8), s.bounds());
            // Keyframe k shows the span [k, k + 1 s) backward: it starts when the run passes k + 1 s.
            List<Long> expected = new ArrayList<>();
            for (long k = T0 + 15_000; k >= T0 + 8000; k -= 1000) {
                expected.add(Math.floorMod(Math.round(-(k + 1000) / 2.0 * 90), WRAP));
            }
            assertEquals(expected, pts(s));
            Segment older = segment(rig, r, T0);
            assertEquals(Math.floorMod(Math.round(-(T0 + 8000) / 2.0 * 90), WRAP), pts(older).get(0),
                    "the older segment starts where this one ends");
        }
    }

    @Test
    void backwardAcrossAGapMarksItAndSkipsIt() throws Exception {
        Rendition r = keyframes(Speed.REVERSE_1);
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 6000).run(T0 + 9000, T0 + 20_000),
                T0 + 600_000)) {
            SegmentWindowPlannerTest.Listed l = playlist(rig, r, T0 + 13_500, T0);
            assertEquals(List.of(uri(r, T0 + 12_000, 4000), uri(r, T0 + 8000, 4000), uri(r, T0 + 4000, 4000),
                    uri(r, T0, 4000)), l.uris());
            assertEquals(List.of(4000L, 3000L, 2000L, 4000L), l.entries().stream().map(e -> e.durationMs()).toList());
            assertEquals(List.of(false, false, true, false), l.entries().stream().map(e -> e.discontinuity()).toList());
            assertEquals(T0 + 6000, l.entries().get(2).pdtMs(), "the older run's segment starts at that run's end");
            assertTrue(l.ended());
        }
    }

    @Test
    void forwardAcrossAGapEndsTheSegmentAtTheRunsEnd() throws Exception {
        Rendition r = keyframes(Speed.DOUBLE);
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 6000).run(T0 + 9000, T0 + 20_000),
                T0 + 600_000)) {
            SegmentWindowPlannerTest.Listed l = playlist(rig, r, T0 + 1000, T0 + 20_000);
            assertEquals(List.of(uri(r, T0, 8000), uri(r, T0 + 8000, 8000), uri(r, T0 + 16_000, 8000)), l.uris());
            assertEquals(List.of(3000L, 3500L, 2000L), l.entries().stream().map(e -> e.durationMs()).toList());
            assertEquals(List.of(false, true, false), l.entries().stream().map(e -> e.discontinuity()).toList());
        }
    }
}
