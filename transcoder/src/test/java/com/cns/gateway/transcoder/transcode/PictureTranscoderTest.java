package com.cns.gateway.transcoder.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.transcoder.mux.AccessUnit;
import com.cns.gateway.transcoder.mux.AnnexB;
import com.cns.gateway.transcoder.mux.TsMuxer;
import com.cns.gateway.transcoder.sei.RecordingTimeSei;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Decode and re-encode through GStreamer: the slots' pictures, in order, with their SEI and PTS, readable by ffprobe. */
public class PictureTranscoderTest {
    public static final long T0 = 1_764_000_000_000L;

    /** 50 pictures at 25 fps from {@link #T0}, a GOP of 25, made by gst-launch in {@code codec}, split into access units (also the MP4 writer's input). */
    public static List<PictureTranscoder.Source> sources(PictureTranscoder.Codec codec) throws Exception {
        return sources(codec, 160, 90);
    }

    /** As {@link #sources(PictureTranscoder.Codec)}, of pictures {@code width} × {@code height}. */
    static List<PictureTranscoder.Source> sources(PictureTranscoder.Codec codec, int width, int height) throws Exception {
        Path f = Files.createTempFile("src", ".bin");
        String enc = switch (codec) {
            case H264 -> "x264enc key-int-max=25 bframes=0 aud=true speed-preset=ultrafast tune=zerolatency "
                    + "option-string=scenecut=0 ! video/x-h264,stream-format=byte-stream,alignment=au";
            case H265 -> "x265enc key-int-max=25 speed-preset=ultrafast "
                    + "option-string=aud=1:bframes=0:scenecut=0:repeat-headers=1 ! video/x-h265,stream-format=byte-stream";
            case JPEG -> "jpegenc ! multifilesink location=" + f + ".%d";
        };
        List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0", "-q"));
        cmd.addAll(Arrays.asList(("videotestsrc num-buffers=50 ! video/x-raw,format=I420,width=" + width + ",height="
                + height + ",framerate=25/1 ! " + enc + (codec == PictureTranscoder.Codec.JPEG ? "" : " ! filesink location=" + f))
                .split(" ")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, new String(p.getInputStream().readAllBytes()));
        List<byte[]> units = new ArrayList<>();
        if (codec == PictureTranscoder.Codec.JPEG) {
            for (int i = 0; i < 50; i++) {
                Path one = Path.of(f + "." + i);
                units.add(Files.readAllBytes(one));
                Files.delete(one);
            }
        } else {
            byte[] s = Files.readAllBytes(f);
            int start = 0;
            int aud = codec == PictureTranscoder.Codec.H264 ? 9 : 35;
            for (int i = 4; i + 4 < s.length; i++) {
                int type = codec == PictureTranscoder.Codec.H264 ? s[i + 4] & 0x1f : (s[i + 4] >> 1) & 0x3f;
                if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 0 && s[i + 3] == 1 && type == aud && i > start) {
                    units.add(Arrays.copyOfRange(s, start, i));
                    start = i;
                }
            }
            units.add(Arrays.copyOfRange(s, start, s.length));
            if (units.size() == 51) {
                // x265 writes its parameter sets and version SEI before the first delimiter: they open picture 0.
                byte[] head = units.remove(0);
                byte[] first = units.get(0);
                byte[] joined = Arrays.copyOf(head, head.length + first.length);
                System.arraycopy(first, 0, joined, head.length, first.length);
                units.set(0, joined);
            }
        }
        Files.delete(f);
        assertEquals(50, units.size());
        List<PictureTranscoder.Source> out = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            out.add(new PictureTranscoder.Source(T0 + 40L * i, codec == PictureTranscoder.Codec.JPEG || i % 25 == 0,
                    units.get(i)));
        }
        return out;
    }

    private static String probe(byte[] ts) throws Exception {
        Path f = Files.createTempFile("out", ".ts");
        try {
            Files.write(f, ts);
            Process p = new ProcessBuilder("ffprobe", "-v", "warning", "-count_frames", "-show_entries",
                    "stream=codec_name,nb_read_frames,width,height", "-of", "csv=p=0", f.toString()).start();
            // The stream's line, without the trailing commas and blank lines ffprobe 5.1 adds.
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(l -> l.trim().replaceAll(",+$", "")).filter(l -> !l.isEmpty()).findFirst().orElse("");
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, p.waitFor(), err);
            assertEquals("", err, "ffprobe reads the output with no warning");
            return out;
        } finally {
            Files.delete(f);
        }
    }

    @ParameterizedTest
    @EnumSource(PictureTranscoder.Codec.class)
    void slotsPlayTheirPicturesInTheirOrderEachCarryingItsRecordingTime(PictureTranscoder.Codec codec)
            throws Exception {
        List<PictureTranscoder.Source> src = sources(codec);
        // Backward at 2x: every other picture, last first, across both GOPs.
        List<PictureTranscoder.Slot> slots = new ArrayList<>();
        for (int i = 49, k = 0; i >= 0; i -= 2, k++) {
            slots.add(new PictureTranscoder.Slot(i, 3600L * k));
        }
        int before = PictureTranscoder.livePipelines();
        List<AccessUnit> out = PictureTranscoder.transcode(codec, src, slots, PictureTranscoder.Settings.DEFAULT);
        assertEquals(before, PictureTranscoder.livePipelines(), "every pipeline is disposed");
        assertEquals(slots.size(), out.size());
        for (int k = 0; k < out.size(); k++) {
            assertEquals(src.get(slots.get(k).source()).timeMs(), RecordingTimeSei.read(out.get(k).annexB()).orElse(-1),
                    "picture " + k + " carries the recording time of the source it shows");
            assertEquals(slots.get(k).pts90k(), out.get(k).pts90k());
        }
        assertEquals(5, AnnexB.firstSliceType(out.get(0).annexB()), "the output starts with an IDR");
        assertTrue(out.get(0).keyframe());
        assertEquals("h264,160,90," + slots.size(), probe(TsMuxer.segment(out)));
    }

    @Test
    void smallPicturesAreEncodedOnOneThreadAsOneSliceEach() throws Exception {
        // x264's sliced threads would cut every picture into one slice per thread (two on two cores).
        List<PictureTranscoder.Source> src = sources(PictureTranscoder.Codec.H264, 320, 180);
        List<PictureTranscoder.Slot> slots = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            slots.add(new PictureTranscoder.Slot(k, 3600L * k));
        }
        List<AccessUnit> out = PictureTranscoder.transcode(PictureTranscoder.Codec.H264, src, slots,
                PictureTranscoder.Settings.DEFAULT);
        for (AccessUnit au : out) {
            assertEquals(1, slices(au.annexB()), "one slice per picture");
        }
        assertEquals(1, PictureTranscoder.encoderThreads(640, 360));
        assertEquals(0, PictureTranscoder.encoderThreads(1280, 720), "larger pictures keep x264's threads");
    }

    /** The coded slices (NAL types 1 and 5) of an H.264 access unit. */
    private static int slices(byte[] au) {
        int n = 0;
        for (int i = 0; i + 3 < au.length; i++) {
            if (au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1) {
                int type = au[i + 3] & 0x1f;
                n += type == 1 || type == 5 ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void repeatedSlotsSlowAPictureDown() throws Exception {
        List<PictureTranscoder.Source> src = sources(PictureTranscoder.Codec.H264);
        List<PictureTranscoder.Slot> slots = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            slots.add(new PictureTranscoder.Slot(k / 2, 3600L * k));
        }
        List<AccessUnit> out = PictureTranscoder.transcode(PictureTranscoder.Codec.H264, src, slots,
                PictureTranscoder.Settings.DEFAULT);
        assertEquals(20, out.size());
        assertEquals(T0 + 40 * 9, RecordingTimeSei.read(out.get(19).annexB()).orElse(-1));
        assertEquals("h264,160,90,20", probe(TsMuxer.segment(out)));
    }

    @Test
    void aBurnedTimeMarksTheBottomLeftOfEveryPictureAndLeavesTheRestAlone() throws Exception {
        List<PictureTranscoder.Source> src = sources(PictureTranscoder.Codec.H264);
        List<PictureTranscoder.Slot> slots = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            slots.add(new PictureTranscoder.Slot(k, 3600L * k));
        }
        PictureTranscoder.Settings exact = new PictureTranscoder.Settings("superfast", "superfast", 0, false);
        List<AccessUnit> plain = PictureTranscoder.transcode(PictureTranscoder.Codec.H264, src, slots, exact);
        List<AccessUnit> burned = PictureTranscoder.transcode(PictureTranscoder.Codec.H264, src, slots,
                exact.withBurnedTime());
        assertEquals(plain.size(), burned.size());
        for (int k = 0; k < burned.size(); k++) {
            assertEquals(T0 + 40L * k, RecordingTimeSei.read(burned.get(k).annexB()).orElse(-1));
        }
        byte[] a = gray(TsMuxer.segment(plain));
        byte[] b = gray(TsMuxer.segment(burned));
        assertEquals(a.length, b.length);
        // 160×90 gray pictures: the text sits in the bottom rows, from the left; the top rows are untouched.
        int frame = 160 * 90;
        for (int f = 0; f < a.length / frame; f++) {
            assertTrue(difference(a, b, f * frame, 70, 90, 0, 80) > 10, "picture " + f + " has text at its bottom left");
            assertTrue(difference(a, b, f * frame, 0, 40, 0, 160) < 2, "picture " + f + " is unchanged above it");
        }
    }

    /** Mean absolute difference of two gray pictures over rows [y0, y1) and columns [x0, x1). */
    private static double difference(byte[] a, byte[] b, int at, int y0, int y1, int x0, int x1) {
        long sum = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                sum += Math.abs((a[at + y * 160 + x] & 0xff) - (b[at + y * 160 + x] & 0xff));
            }
        }
        return (double) sum / ((y1 - y0) * (x1 - x0));
    }

    private static byte[] gray(byte[] ts) throws Exception {
        Path f = Files.createTempFile("burn", ".ts");
        try {
            Files.write(f, ts);
            Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-i", f.toString(), "-f", "rawvideo", "-pix_fmt",
                    "gray", "-").start();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                    new String(p.getErrorStream().readAllBytes()));
            return out;
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void undecodablePicturesFailWithAClearError() {
        List<PictureTranscoder.Source> junk = List.of(new PictureTranscoder.Source(T0, true, new byte[] {1, 2, 3}));
        TranscodeException e = assertThrows(TranscodeException.class, () -> PictureTranscoder.transcode(
                PictureTranscoder.Codec.JPEG, junk, List.of(new PictureTranscoder.Slot(0, 0)),
                PictureTranscoder.Settings.DEFAULT));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        assertEquals(0, PictureTranscoder.livePipelines());
    }
}
