package com.cns.gateway.transcoder.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.transcoder.transcode.PictureTranscoder;
import com.cns.gateway.transcoder.transcode.PictureTranscoderTest;
import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** H.264 access units into an MP4 through mp4mux: every sample at the time it was given, gaps held, index in front. */
class Mp4WriterTest {
    private static final long GAP_MS = 5000;

    @TempDir
    Path dir;

    /** Two GOPs of 25 pictures, the second after a 5 s gap, at ms from the file's start. */
    private Path written() throws Exception {
        List<PictureTranscoder.Source> src = PictureTranscoderTest.sources(PictureTranscoder.Codec.H264);
        Path file = dir.resolve("clip.mp4");
        try (Mp4Writer w = new Mp4Writer(file, dir.resolve("clip.moov"))) {
            for (int i = 0; i < src.size(); i++) {
                long t = src.get(i).timeMs() - PictureTranscoderTest.T0 + (i >= 25 ? GAP_MS : 0);
                w.write(src.get(i).data(), t, t, src.get(i).keyframe());
            }
            assertEquals(50, w.samples());
            w.finish(40);
        }
        return file;
    }

    @Test
    void samplesKeepTheirTimesAcrossAGapAndFfprobeReadsTheFileWithoutAWarning() throws Exception {
        Path file = written();
        String[] probe = run("ffprobe", "-v", "warning", "-select_streams", "v", "-show_entries",
                "packet=pts_time,flags", "-of", "csv=p=0", file.toString()).split("\n");
        assertEquals(50, probe.length, String.join("\n", probe));
        assertEquals("0.000000,K_", probe[0].trim());
        assertEquals("0.960000,__", probe[24].trim());
        assertEquals(String.format("%.6f,K_", 1.0 + GAP_MS / 1000.0), probe[25].trim());
        assertEquals(String.format("%.6f,__", 1.96 + GAP_MS / 1000.0), probe[49].trim());
        String warnings = run("ffmpeg", "-v", "warning", "-i", file.toString(), "-f", "null", "-");
        assertEquals("", warnings.trim(), "decoding the whole file warns of nothing");
    }

    @Test
    void theIndexComesBeforeTheMediaData() throws Exception {
        List<String> top = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(written()))) {
            while (top.size() < 3) {
                long size = in.readInt() & 0xffffffffL;
                byte[] type = in.readNBytes(4);
                top.add(new String(type, StandardCharsets.ISO_8859_1));
                long skip = size - 8;
                if (size == 1) {
                    skip = in.readLong() - 16;
                }
                in.skipNBytes(skip);
                if (top.get(top.size() - 1).equals("mdat")) {
                    break;
                }
            }
        }
        assertTrue(top.indexOf("moov") >= 0 && top.indexOf("moov") < top.indexOf("mdat"), top.toString());
    }

    @Test
    void theCreationTimeIsTheFirstFramesRecordingTime() throws Exception {
        Path file = written();
        Instant first = Instant.ofEpochMilli(PictureTranscoderTest.T0);
        assertEquals(3, Mp4CreationTime.set(file, first), "mvhd, tkhd and mdhd");
        String tags = run("ffprobe", "-v", "warning", "-show_entries", "format_tags=creation_time:stream_tags=creation_time",
                "-of", "csv=p=0", file.toString());
        String expected = first.toString().replace("Z", ".000000Z");
        for (String line : tags.trim().split("\n")) {
            assertEquals(expected, line.trim(), tags);
        }
    }

    @Test
    void decodeTimesThatDoNotRiseAreRefused() throws Exception {
        List<PictureTranscoder.Source> src = PictureTranscoderTest.sources(PictureTranscoder.Codec.H264);
        try (Mp4Writer w = new Mp4Writer(dir.resolve("bad.mp4"), dir.resolve("bad.moov"))) {
            w.write(src.get(0).data(), 40, 40, true);
            assertThrows(IllegalArgumentException.class, () -> w.write(src.get(1).data(), 40, 40, false));
            assertThrows(IllegalArgumentException.class, () -> w.write(src.get(1).data(), 60, 80, false));
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
