package com.cns.gateway.transcoder.mux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The muxer's segments as ffprobe (Debian's ffmpeg) reads them: every frame, exact timestamps, no warning. */
class TsMuxerTest {
    private static final List<byte[]> UNITS = new ArrayList<>();

    @BeforeAll
    static void makeVideo() throws Exception {
        Path h264 = Files.createTempFile("mux", ".h264");
        Process p = new ProcessBuilder("gst-launch-1.0", "-q", "videotestsrc", "num-buffers=50", "!",
                "video/x-raw,format=I420,width=160,height=90,framerate=25/1", "!", "x264enc", "key-int-max=25",
                "bframes=0", "aud=true", "speed-preset=ultrafast", "tune=zerolatency", "option-string=scenecut=0", "!",
                "video/x-h264,stream-format=byte-stream,alignment=au", "!", "filesink", "location=" + h264)
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, new String(p.getInputStream().readAllBytes()));
        byte[] stream = Files.readAllBytes(h264);
        Files.delete(h264);
        int start = 0;
        for (int i = 4; i + 4 < stream.length; i++) {
            // Each access unit begins with a 4-byte start code and an access unit delimiter (type 9).
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 0 && stream[i + 3] == 1
                    && (stream[i + 4] & 0x1f) == 9) {
                UNITS.add(Arrays.copyOfRange(stream, start, i));
                start = i;
            }
        }
        UNITS.add(Arrays.copyOfRange(stream, start, stream.length));
        assertEquals(50, UNITS.size());
    }

    private static List<AccessUnit> units(long firstMs) {
        List<AccessUnit> out = new ArrayList<>();
        for (int i = 0; i < UNITS.size(); i++) {
            long ts = AccessUnit.clock90k(firstMs + 40L * i);
            out.add(new AccessUnit(UNITS.get(i), ts, ts, i % 25 == 0));
        }
        return out;
    }

    private static String[] probe(byte[] ts, String... args) throws Exception {
        Path f = Files.createTempFile("seg", ".ts");
        try {
            Files.write(f, ts);
            List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "warning"));
            cmd.addAll(List.of(args));
            cmd.add(f.toString());
            Process p = new ProcessBuilder(cmd).start();
            // One line per entry; ffprobe 5.1 follows each packet with a blank line and a side-data comma.
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(l -> l.trim().replaceAll(",+$", "")).filter(l -> !l.isEmpty())
                    .reduce((a, b) -> a + "\n" + b).orElse("");
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, p.waitFor(), err);
            return new String[] {out, err};
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void everyFrameIsReadWithTheRecordingTimeAsPts() throws Exception {
        long t0 = 1_764_000_000_000L;
        byte[] seg = TsMuxer.segment(units(t0));
        assertEquals(0, seg.length % 188);
        String[] r = probe(seg, "-show_entries", "packet=pts,dts,flags", "-of", "csv=p=0");
        assertEquals("", r[1], "no ffprobe warning");
        String[] lines = r[0].split("\n");
        assertEquals(50, lines.length);
        for (int i = 0; i < 50; i++) {
            long expected = AccessUnit.clock90k(t0 + 40L * i);
            String[] f = lines[i].split(",");
            assertEquals(expected, Long.parseLong(f[0]), "PTS of frame " + i);
            assertEquals(expected, Long.parseLong(f[1]), "DTS of frame " + i);
            assertEquals(i % 25 == 0, f[2].startsWith("K"), "keyframe flag of frame " + i);
        }
        String[] frames = probe(seg, "-count_frames", "-show_entries", "stream=codec_name,nb_read_frames", "-of",
                "csv=p=0");
        // The stream is listed once at the top level and once in its program.
        frames[0].lines().forEach(l -> assertEquals("h264,50", l));
    }

    @Test
    void timestampsWrapAt2Pow33LikeTheMpegClock() throws Exception {
        long wrapMs = AccessUnit.WRAP / 90;
        List<AccessUnit> u = units(wrapMs - 1000);
        assertTrue(u.get(0).pts90k() > u.get(49).pts90k(), "the clock wrapped inside the segment");
        String[] r = probe(TsMuxer.segment(u), "-show_entries", "packet=pts", "-of", "csv=p=0");
        String[] lines = r[0].split("\n");
        assertEquals(50, lines.length);
        // ffmpeg unwraps timestamps around 2^33 (it may print the first ones as negative): compare mod 2^33.
        for (int i = 0; i < 50; i++) {
            assertEquals(u.get(i).pts90k(), Math.floorMod(Long.parseLong(lines[i]), AccessUnit.WRAP), "frame " + i);
        }
    }

    @Test
    void psiCrcIsTheMpeg2One() {
        // The CRC of a section including its own CRC is 0 (ISO/IEC 13818-1 Annex A).
        byte[] seg = TsMuxer.segment(List.of());
        assertEquals(0x30, seg[3] & 0x30, "an adaptation field before the payload");
        assertEquals(0x80, seg[5] & 0xFF, "whose discontinuity_indicator says the counter restarts here");
        int sectionLength = ((seg[8] & 0x0F) << 8) | (seg[9] & 0xFF);
        assertEquals(0, Crc32Mpeg2.of(seg, 7, 3 + sectionLength));
    }
}
