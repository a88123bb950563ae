package com.cns.gateway.media.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.media.hls.Speed;
import com.cns.gateway.transcoder.transcode.PictureTranscoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which recorded frame each output frame of a smooth segment shows, and when. */
class SmoothEncoderTest {
    private static final long T0 = 1_700_000_000_000L;

    /** Frames every {@code stepMs} over [T0, T0 + spanMs), a keyframe first. */
    private static List<FrameSource.Frame> frames(long spanMs, long stepMs) {
        List<FrameSource.Frame> out = new ArrayList<>();
        for (long t = T0; t < T0 + spanMs; t += stepMs) {
            out.add(new FrameSource.Frame(t, t == T0, FrameSource.Codec.H264, new byte[0]));
        }
        return out;
    }

    private static List<PictureTranscoder.Slot> slots(Speed s, List<FrameSource.Frame> frames, long endMs) {
        return new SmoothEncoder(new Rendition(s, Rendition.Mode.SMOOTH), PictureTranscoder.Settings.DEFAULT)
                .slots(frames, endMs);
    }

    @Test
    void twiceAsFastShowsEveryOtherFrameOnTheOutputGrid() {
        List<PictureTranscoder.Slot> s = slots(Speed.DOUBLE, frames(1000, 40), T0 + 1000);
        assertEquals(13, s.size(), "1 s of recording is 0.5 s of output: 40 ms frames from T0 / 2");
        for (int k = 0; k < s.size(); k++) {
            long outputMs = (T0 / 2 / 40 + k) * 40;
            assertEquals(Math.floorMod(outputMs * 90, 1L << 33), s.get(k).pts90k());
            assertEquals((int) ((outputMs * 2 - T0) / 40), s.get(k).source(), "the frame at or before " + outputMs * 2);
        }
    }

    @Test
    void halfSpeedShowsEachFrameTwice() {
        List<PictureTranscoder.Slot> s = slots(Speed.HALF, frames(400, 40), T0 + 400);
        assertEquals(20, s.size());
        for (int k = 0; k < s.size(); k++) {
            assertEquals(k / 2, s.get(k).source(), "slot " + k);
        }
    }

    @Test
    void backwardShowsTheFrameBeforeEachMomentLastFirst() {
        List<PictureTranscoder.Slot> s = slots(Speed.REVERSE_1, frames(400, 40), T0 + 400);
        assertEquals(10, s.size());
        for (int k = 0; k < s.size(); k++) {
            assertEquals(9 - k, s.get(k).source(), "slot " + k + " walks back from the last frame");
            assertEquals(Math.floorMod(-(T0 + 400 - 40L * k) * 90, 1L << 33), s.get(k).pts90k());
        }
    }

    @Test
    void framesOfAFiveFpsCameraAreRepeatedAndASpanShorterThanAnOutputFrameStillShowsOne() {
        List<PictureTranscoder.Slot> s = slots(Speed.NORMAL, frames(1000, 200), T0 + 1000);
        assertEquals(25, s.size());
        assertEquals(List.of(0, 0, 0, 0, 0, 1), s.subList(0, 6).stream().map(PictureTranscoder.Slot::source).toList());
        assertEquals(1, slots(Speed.NORMAL, frames(10, 40), T0 + 10).size());
    }
}
