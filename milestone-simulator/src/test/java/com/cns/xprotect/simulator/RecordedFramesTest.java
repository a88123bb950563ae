package com.cns.xprotect.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordedFramesTest {
    private static final Vertx VERTX = Vertx.vertx();
    private static XProtectSimulator sim;

    @BeforeAll
    static void start() throws Exception {
        sim = new XProtectSimulator(VERTX, SimulatorOptions.defaults(),
                Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC));
        sim.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        VERTX.close();
    }

    private static String cameraWith(CameraProfile p) {
        return sim.site().cameras().stream().filter(c -> c.recordingEnabled() && sim.site().profile(c.id()) == p)
                .findFirst().orElseThrow().id();
    }

    @ParameterizedTest
    @EnumSource(value = CameraProfile.class, mode = EnumSource.Mode.EXCLUDE, names = "HD_1080") // opt-in: not on this site
    void everySequenceIsWalkedFrameByFrameFromAKeyframeInsideItsBounds(CameraProfile profile) {
        String cam = cameraWith(profile);
        RecordedFrames frames = sim.frames();
        Instant from = Instant.parse("2026-03-03T00:00:00Z");
        RecordedSpan span = sim.history().spans(cam, from, from.plus(Duration.ofDays(6))).stream()
                .filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() > 30_000).findFirst().orElseThrow();
        long b = span.begin().toEpochMilli();
        long e = span.end().toEpochMilli();
        RecordedFrames.Frame f = frames.atOrBefore(cam, b + 5);
        assertNotNull(f);
        assertEquals(b, f.timeMs(), "a sequence starts with its first frame");
        assertTrue(f.keyframe(), "and that frame is a keyframe");
        List<Long> times = new ArrayList<>();
        List<Long> keyframes = new ArrayList<>();
        RecordedFrames.Frame k = f;
        while (f != null && f.spanBegin() == b) {
            times.add(f.timeMs());
            if (f.keyframe()) {
                keyframes.add(f.timeMs());
                assertEquals(f.timeMs(), k.timeMs(), "keyframeAfter finds the same keyframes as walking");
                k = frames.keyframeAfter(cam, f);
            }
            assertTrue(f.timeMs() >= b && f.timeMs() < e, "frame inside its sequence");
            f = frames.after(cam, f);
        }
        for (int i = 1; i < keyframes.size(); i++) {
            long gop = keyframes.get(i) - keyframes.get(i - 1);
            assertTrue(gop >= profile.slotMs && gop <= 10_000, "GOP " + gop);
        }
        List<Long> shown = new ArrayList<>(times);
        shown.sort(null);
        for (int i = 1; i < shown.size(); i++) {
            long step = shown.get(i) - shown.get(i - 1);
            assertTrue(step >= profile.slotMs - 3 && step <= 2 * profile.slotMs + 3, profile + " step " + step);
            if (profile != CameraProfile.JITTER_DROPS) {
                assertEquals(profile.slotMs, step, profile + " frames are evenly spaced");
            }
        }
        if (profile == CameraProfile.BFRAMES) {
            assertTrue(!times.equals(shown), "B-frames come out of presentation order");
        } else {
            assertEquals(shown, times, "decode order is presentation order");
        }
        if (profile == CameraProfile.VARIABLE_GOP) {
            assertTrue(keyframes.size() > 3);
        }
        if (profile == CameraProfile.JITTER_DROPS) {
            assertTrue(shown.size() < (shown.get(shown.size() - 1) - b) / 40 + 1, "some frames were dropped");
        }
        RecordedFrames.Frame last = frames.atOrBefore(cam, e - 1);
        assertEquals(times.get(times.size() - 1), last.timeMs(), "the last frame is found from after the sequence");
    }

    @org.junit.jupiter.api.Test
    void aSequenceCanResumeMidGop() {
        String cam = cameraWith(CameraProfile.FIXED_GOP);
        RecordedFrames frames = sim.frames();
        Instant from = Instant.parse("2026-03-03T00:00:00Z");
        List<RecordedSpan> spans = sim.history().spans(cam, from, from.plus(Duration.ofDays(6)));
        RecordedSpan span = spans.stream().skip(1).filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() > 30_000)
                .findFirst().orElseThrow();
        long b = span.begin().toEpochMilli();
        sim.resumeMidGop(cam, true);
        try {
            RecordedFrames.Frame last = frames.atOrBefore(cam, b - 1);
            RecordedFrames.Frame first = frames.after(cam, last);
            assertEquals(b + RecordedFrames.MID_GOP * 40, first.timeMs(), "the sequence's first frame is mid-GOP");
            assertTrue(!first.keyframe());
            assertEquals(b + 1000, frames.keyframeAfter(cam, last).timeMs(), "its first keyframe a second in");
            assertTrue(frames.keyframeAtOrBefore(cam, b + 500).timeMs() < b, "no keyframe of its own before that");
            assertEquals(last.timeMs(), frames.before(cam, first).timeMs());
        } finally {
            sim.resumeMidGop(cam, false);
        }
        assertEquals(b, frames.atOrBefore(cam, b + 5).timeMs());
    }
}
