package com.cns.xprotect.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * VideoClip is the simulator's real video, made once with GStreamer ({@code videotestsrc ! timeoverlay},
 * I420, 320×180, 250 frames at 25 fps) and split into access units, in four encodings: H.264
 * Constrained Baseline with an IDR every 25 frames and an access unit delimiter before each frame;
 * the same with a single IDR (for GOPs up to 10 s); H.264 Main with two B-frames between references;
 * and H.265 with an IDR every 25 frames; plus each picture as a JPEG. Cameras loop the tracks from a
 * keyframe, so every recorded GOP decodes on its own. Only when asked for (a site with HD cameras),
 * a fifth: H.264 High at 1920×1080 (moving SMPTE bars, which x264 at 4 Mb/s fills: about 4.2 Mb/s),
 * an IDR every 25 frames, made once too (about ten seconds on two cores).
 */
public final class VideoClip {
    public static final int FPS = 25;
    public static final int GOP = 25;
    public static final int FRAMES = 250;
    private static final String SOURCE = "videotestsrc num-buffers=" + FRAMES + " pattern=ball ! "
            + "video/x-raw,format=I420,width=320,height=180,framerate=" + FPS + "/1 ! timeoverlay ! ";
    private static final String X264 = "aud=true byte-stream=true speed-preset=ultrafast threads=1 ";
    static final String PIPELINE = SOURCE + "x264enc key-int-max=" + GOP + " bframes=0 " + X264
            + "tune=zerolatency option-string=scenecut=0:keyint-min=" + GOP + " ! "
            + "video/x-h264,stream-format=byte-stream,alignment=au";
    static final String PIPELINE_LONG_GOP = SOURCE + "x264enc key-int-max=" + FRAMES + " bframes=0 " + X264
            + "tune=zerolatency option-string=scenecut=0:keyint-min=" + FRAMES + " ! "
            + "video/x-h264,stream-format=byte-stream,alignment=au";
    static final String PIPELINE_B_FRAMES = SOURCE + "x264enc key-int-max=" + GOP + " bframes=2 b-adapt=false "
            + "b-pyramid=false " + X264 + "option-string=scenecut=0:keyint-min=" + GOP + " ! "
            + "video/x-h264,stream-format=byte-stream,alignment=au,profile=main";
    static final String PIPELINE_HD = "videotestsrc num-buffers=" + FRAMES + " pattern=smpte horizontal-speed=5 ! "
            + "video/x-raw,format=I420,width=1920,height=1080,framerate=" + FPS + "/1 ! timeoverlay ! "
            + "x264enc bitrate=4000 key-int-max=" + GOP + " bframes=0 speed-preset=superfast tune=zerolatency "
            + "aud=true byte-stream=true option-string=scenecut=0:keyint-min=" + GOP + " ! "
            + "video/x-h264,stream-format=byte-stream,alignment=au,profile=high";
    static final String PIPELINE_H265 = SOURCE + "x265enc key-int-max=" + GOP + " speed-preset=ultrafast "
            + "option-string=aud=1:bframes=0:scenecut=0:min-keyint=" + GOP + ":repeat-headers=1 ! "
            + "video/x-h265,stream-format=byte-stream,alignment=au";

    /** One access unit: its NAL units without start codes, and whether it is an IDR picture. */
    public record AccessUnit(List<byte[]> nals, boolean idr) {
    }

    /**
     * One encoding of the clip: access units in decode order, and for each the index of the picture it
     * shows (its presentation order; the same as its decode index without B-frames).
     */
    public record Track(List<AccessUnit> units, int[] display, boolean hevc) {
        public AccessUnit unit(long index) {
            return units.get((int) Math.floorMod(index, (long) units.size()));
        }
    }

    private final Track h264;
    private final Track h264LongGop;
    private final Track h264BFrames;
    private final Track h265;
    private final Track h264Hd;
    private final List<byte[]> jpegs;

    private VideoClip(Track h264, Track h264LongGop, Track h264BFrames, Track h265, Track h264Hd, List<byte[]> jpegs) {
        this.h264Hd = h264Hd;
        this.h264 = h264;
        this.h264LongGop = h264LongGop;
        this.h264BFrames = h264BFrames;
        this.h265 = h265;
        this.jpegs = jpegs;
    }

    /** The same picture as access unit {@code frameIndex}, as a standard JPEG (for JPEG* calls and alwaysstdjpeg). */
    public byte[] jpeg(long frameIndex) {
        return jpegs.get((int) Math.floorMod(frameIndex, (long) jpegs.size()));
    }

    public AccessUnit unit(long frameIndex) {
        return h264.unit(frameIndex);
    }

    public int size() {
        return h264.units().size();
    }

    public Track h264() {
        return h264;
    }

    public Track h264LongGop() {
        return h264LongGop;
    }

    public Track h264BFrames() {
        return h264BFrames;
    }

    public Track h265() {
        return h265;
    }

    /** The 1920×1080 track; null unless the clip was loaded with it. */
    public Track h264Hd() {
        return h264Hd;
    }

    /**
     * The clip, generated into {@code cacheDir} on first use with GStreamer (a few seconds): each
     * encoding, then the pictures of the first decoded and encoded as JPEG; with {@code hd}, the
     * 1920×1080 track too.
     */
    public static synchronized VideoClip load(Path cacheDir, boolean hd) throws IOException, InterruptedException {
        Files.createDirectories(cacheDir);
        Path file = encode(cacheDir, PIPELINE, "h264");
        Path jpegDir = cacheDir.resolve("jpeg-" + Integer.toHexString(PIPELINE.hashCode()));
        if (!Files.exists(jpegDir.resolve("complete"))) {
            Files.createDirectories(jpegDir);
            gst("filesrc location=" + file + " ! h264parse ! avdec_h264 ! videoconvert ! jpegenc quality=80 ! "
                    + "multifilesink location=" + jpegDir.resolve("f-%03d.jpg"));
            Files.writeString(jpegDir.resolve("complete"), "");
        }
        List<byte[]> jpegs = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            jpegs.add(Files.readAllBytes(jpegDir.resolve(String.format("f-%03d.jpg", i))));
        }
        return new VideoClip(track(file, false, null), track(encode(cacheDir, PIPELINE_LONG_GOP, "h264"), false, null),
                track(encode(cacheDir, PIPELINE_B_FRAMES, "h264"), false, displayOrder(cacheDir)),
                track(encode(cacheDir, PIPELINE_H265, "h265"), true, null),
                hd ? track(encode(cacheDir, PIPELINE_HD, "h264"), false, null) : null, List.copyOf(jpegs));
    }

    private static Track track(Path file, boolean hevc, int[] display) throws IOException {
        List<AccessUnit> units = split(Files.readAllBytes(file), hevc);
        if (display == null) {
            display = new int[units.size()];
            for (int i = 0; i < display.length; i++) {
                display[i] = i;
            }
        }
        if (display.length != units.size()) {
            throw new IOException(file + ": " + units.size() + " access units but " + display.length + " timestamps");
        }
        return new Track(units, display, hevc);
    }

    private static Path encode(Path cacheDir, String pipeline, String ext) throws IOException, InterruptedException {
        Path file = cacheDir.resolve("clip-" + Integer.toHexString(pipeline.hashCode()) + "." + ext);
        if (!Files.exists(file)) {
            Path tmp = Files.createTempFile(cacheDir, "clip", "." + ext);
            gst(pipeline + " ! filesink location=" + tmp);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return file;
    }

    /**
     * The presentation index of each access unit of the B-frame track, in decode order, as the encoder
     * stamped them: read from a verbose {@code fakesink} on a second run of the same (single-threaded,
     * hence identical) encoder.
     */
    private static int[] displayOrder(Path cacheDir) throws IOException, InterruptedException {
        Path file = cacheDir.resolve("pts-" + Integer.toHexString(PIPELINE_B_FRAMES.hashCode()) + ".txt");
        if (!Files.exists(file)) {
            String out = gst("-v " + PIPELINE_B_FRAMES + " ! fakesink silent=false");
            Matcher m = Pattern.compile("pts: (\\d+):(\\d\\d):(\\d\\d)\\.(\\d{9})").matcher(out);
            List<Long> pts = new ArrayList<>();
            while (m.find()) {
                pts.add(((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60
                        + Long.parseLong(m.group(3))) * 1000 + Long.parseLong(m.group(4)) / 1_000_000);
            }
            long first = pts.stream().mapToLong(Long::longValue).min().orElse(0);
            StringBuilder sb = new StringBuilder();
            pts.forEach(p -> sb.append((p - first) / (1000 / FPS)).append('\n'));
            Path tmp = Files.createTempFile(cacheDir, "pts", ".txt");
            Files.writeString(tmp, sb);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).mapToInt(Integer::parseInt).toArray();
    }

    private static String gst(String pipeline) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0"));
        if (!pipeline.startsWith("-v ")) {
            cmd.add("-q");
        }
        cmd.addAll(List.of(pipeline.split(" ")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("gst-launch-1.0 could not make the simulator's video (install GStreamer: "
                    + "scripts/install-prerequisites.sh): " + out.trim());
        }
        return out;
    }

    /** Splits an Annex-B byte stream into access units at each access unit delimiter (NAL type 9; 35 in H.265). */
    static List<AccessUnit> split(byte[] stream, boolean hevc) {
        List<byte[]> nals = new ArrayList<>();
        int start = -1;
        for (int i = 0; i + 3 <= stream.length; i++) {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1) {
                if (start >= 0) {
                    int end = i > 0 && stream[i - 1] == 0 ? i - 1 : i;
                    nals.add(java.util.Arrays.copyOfRange(stream, start, end));
                }
                start = i + 3;
                i += 2;
            }
        }
        if (start >= 0) {
            nals.add(java.util.Arrays.copyOfRange(stream, start, stream.length));
        }
        List<AccessUnit> units = new ArrayList<>();
        List<byte[]> current = null;
        for (byte[] nal : nals) {
            if (hevc ? ((nal[0] >> 1) & 0x3f) == 35 : (nal[0] & 0x1f) == 9) {
                if (current != null) {
                    units.add(unit(current, hevc));
                }
                current = new ArrayList<>();
            }
            if (current != null) {
                current.add(nal);
            }
        }
        if (current != null && !current.isEmpty()) {
            units.add(unit(current, hevc));
        }
        return List.copyOf(units);
    }

    private static AccessUnit unit(List<byte[]> nals, boolean hevc) {
        boolean idr = nals.stream().anyMatch(n -> hevc ? ((n[0] >> 1) & 0x3f) >= 16 && ((n[0] >> 1) & 0x3f) <= 21
                : (n[0] & 0x1f) == 5);
        return new AccessUnit(List.copyOf(nals), idr);
    }
}
