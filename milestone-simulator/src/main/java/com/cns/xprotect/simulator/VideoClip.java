package com.cns.xprotect.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * VideoClip is real H.264 (and the same pictures as JPEG) made once with GStreamer ({@code videotestsrc ! timeoverlay ! x264enc}, I420,
 * Constrained Baseline, one IDR every 25 frames, an access unit delimiter before each frame) and split
 * into access units. Cameras loop it: recorded frame k of a sequence shows access unit k mod 250, so
 * every sequence starts with an IDR and keeps a fixed 1 s GOP at 25 fps.
 */
public final class VideoClip {
    public static final int FPS = 25;
    public static final int GOP = 25;
    public static final int FRAMES = 250;
    static final String PIPELINE = "videotestsrc num-buffers=" + FRAMES + " pattern=ball ! "
            + "video/x-raw,format=I420,width=320,height=180,framerate=" + FPS + "/1 ! timeoverlay ! "
            + "x264enc key-int-max=" + GOP + " bframes=0 aud=true byte-stream=true speed-preset=ultrafast "
            + "tune=zerolatency option-string=scenecut=0:keyint-min=" + GOP + " ! "
            + "video/x-h264,stream-format=byte-stream,alignment=au";

    /** One access unit: its NAL units without start codes, and whether it is an IDR picture. */
    public record AccessUnit(List<byte[]> nals, boolean idr) {
    }

    private final List<AccessUnit> units;
    private final List<byte[]> jpegs;

    private VideoClip(List<AccessUnit> units, List<byte[]> jpegs) {
        this.units = units;
        this.jpegs = jpegs;
    }

    /** The same picture as access unit {@code frameIndex}, as a standard JPEG (for JPEG* calls and alwaysstdjpeg). */
    public byte[] jpeg(long frameIndex) {
        return jpegs.get((int) Math.floorMod(frameIndex, (long) jpegs.size()));
    }

    public AccessUnit unit(long frameIndex) {
        return units.get((int) Math.floorMod(frameIndex, (long) units.size()));
    }

    public int size() {
        return units.size();
    }

    /**
     * The clip, generated into {@code cacheDir} on first use with GStreamer (about two seconds): the
     * H.264 stream, then each of its pictures decoded and encoded as JPEG.
     */
    public static synchronized VideoClip load(Path cacheDir) throws IOException, InterruptedException {
        String key = Integer.toHexString(PIPELINE.hashCode());
        Path file = cacheDir.resolve("clip-" + key + ".h264");
        Path jpegDir = cacheDir.resolve("jpeg-" + key);
        if (!Files.exists(file)) {
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, "clip", ".h264");
            gst(PIPELINE + " ! filesink location=" + tmp);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
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
        return new VideoClip(split(Files.readAllBytes(file)), List.copyOf(jpegs));
    }

    private static void gst(String pipeline) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0", "-q"));
        cmd.addAll(List.of(pipeline.split(" ")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("gst-launch-1.0 could not make the simulator's video (install GStreamer: "
                    + "scripts/install-prerequisites.sh): " + out.trim());
        }
    }

    /** Splits an Annex-B byte stream into access units at each access unit delimiter (NAL type 9). */
    static List<AccessUnit> split(byte[] stream) {
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
            if ((nal[0] & 0x1f) == 9) {
                if (current != null) {
                    units.add(unit(current));
                }
                current = new ArrayList<>();
            }
            if (current != null) {
                current.add(nal);
            }
        }
        if (current != null && !current.isEmpty()) {
            units.add(unit(current));
        }
        return List.copyOf(units);
    }

    private static AccessUnit unit(List<byte[]> nals) {
        boolean idr = nals.stream().anyMatch(n -> (n[0] & 0x1f) == 5);
        return new AccessUnit(List.copyOf(nals), idr);
    }
}
