package com.cns.gateway.media.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemuxEncoderTest {
    /** The PTS and DTS (90 kHz) of each PES packet that starts in a transport stream, in order. */
    static List<long[]> timestamps(byte[] ts) {
        List<long[]> out = new ArrayList<>();
        for (int p = 0; p + 188 <= ts.length; p += 188) {
            boolean start = (ts[p + 1] & 0x40) != 0;
            int afc = (ts[p + 3] >> 4) & 0x3;
            int i = p + 4 + (afc >= 2 ? 1 + (ts[p + 4] & 0xff) : 0);
            if (!start || afc == 2 || ts[i] != 0 || ts[i + 1] != 0 || ts[i + 2] != 1 || (ts[i + 3] & 0xf0) != 0xe0) {
                continue;
            }
            int flags = (ts[i + 7] >> 6) & 0x3;
            long pts = clock(ts, i + 9);
            out.add(new long[] {pts, flags == 3 ? clock(ts, i + 14) : pts});
        }
        return out;
    }

    private static long clock(byte[] b, int i) {
        return ((long) (b[i] & 0x0e) << 29) | ((b[i + 1] & 0xff) << 22) | ((b[i + 2] & 0xfe) << 14)
                | ((b[i + 3] & 0xff) << 7) | ((b[i + 4] & 0xfe) >> 1);
    }

    private static FrameSource.Frame frame(long t, boolean key) {
        // An Annex-B access unit: start code, then a slice NAL (IDR 5 or non-IDR 1).
        return new FrameSource.Frame(t, key, FrameSource.Codec.H264, new byte[] {0, 0, 0, 1, (byte) (key ? 0x65 : 0x41),
            (byte) 0x88, 0x40, 0x10});
    }

    @Test
    void ptsIsRecordingTimeTimes90AndDtsNeverPassesIt() {
        long t = 1_700_000_000_000L;
        // Decode order I P B B: presentation t, t+120, t+40, t+80 (two B-frames).
        byte[] ts = new RemuxEncoder().encode(List.of(frame(t, true), frame(t + 120, false), frame(t + 40, false),
                frame(t + 80, false)), t + 160);
        List<long[]> s = timestamps(ts);
        assertEquals(4, s.size());
        long[] presented = {t, t + 120, t + 40, t + 80};
        for (int i = 0; i < 4; i++) {
            assertEquals(Math.floorMod(presented[i] * 90, 1L << 33), s.get(i)[0], "PTS of frame " + i);
            assertTrue(s.get(i)[1] <= s.get(i)[0], "DTS <= PTS for frame " + i);
            assertTrue(i == 0 || s.get(i)[1] > s.get(i - 1)[1], "DTS rises in decode order");
        }
        assertEquals(Math.floorMod((t - 40) * 90, 1L << 33), s.get(0)[1], "DTS is shifted back by the reordering delay");
    }
}
