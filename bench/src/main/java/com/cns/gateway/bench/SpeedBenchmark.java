package com.cns.gateway.bench;

import com.cns.gateway.bench.PlaybackBenchmark.Moment;
import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.media.hls.Speed;
import com.cns.gateway.media.playback.FrameSource;
import com.cns.gateway.media.playback.KeyframesEncoder;
import com.cns.gateway.transcoder.mux.AnnexB;
import com.cns.gateway.transcoder.sei.RecordingTimeSei;
import com.cns.gateway.transcoder.transcode.PictureTranscoder;
import com.cns.xprotect.simulator.CameraProfile;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SpeedBenchmark measures server-built speeds on the simulator's 320×180 and 1920×1080 video: time to first segment
 * at new moments for 8x, -1x (smooth) and -8x; smooth transcoding against ffmpeg doing the same
 * decode, rate change and libx264 encode on the same frames; keyframes-only production against
 * {@code ffmpeg -c copy} keeping the same IDRs; and how many concurrent -1x and 4x viewers the
 * machine holds with no segment late.
 */
final class SpeedBenchmark {
    private static final Pattern TIME = Pattern.compile("([0-9.]+)\\+([0-9.]+)");

    private SpeedBenchmark() {
    }

    /** What one picture size measured. */
    private record Result(String size, String preset, Map<String, Latencies> first, Map<String, int[]> held,
                          int outFrames, double oursCpu, double oursWall, double[] ff, int ffFrames, int keyframes,
                          double oursKfps, int ffKeyframes, double ffKfps, double[] copy, int minuteFrames) {
    }

    static void run(Path benchmarksFile) throws Exception {
        Result small;
        Result large;
        try (BenchEnvironment env = new BenchEnvironment(120, 8, 5, Map.of())) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();
            String base = "http://127.0.0.1:" + env.port;
            List<String[]> fixed = PlaybackBenchmark.importedFixedCameras(env, http, base);
            List<String[]> hd = PlaybackBenchmark.camerasOf(env, http, base, CameraProfile.HD_1080);
            small = measure(env, http, base, fixed, "320×180", 150, 32);
            large = measure(env, http, base, hd, "1920×1080", 15, 16);
        }
        StringBuilder md = new StringBuilder();
        md.append("## Speed: server-built renditions, transcoding and keyframes only\n\n")
                .append("Command: `scripts/bench.sh speed` (").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append("). Simulator as in Playback (25 fps, 1 s GOP, ")
                .append("5 ms one-way latency), on its 320×180 cameras and on its 1920×1080 ones (H.264 High, ")
                .append("~4.2 Mb/s; `--hd-cameras`); defaults (smooth up to 2x, keyframes only above). The load ")
                .append("runs in the gateway's JVM on the same cores. A new moment is one nobody played, after ten ")
                .append("others warmed the JIT up; each speed's 30 moments are asked one after another, so a smooth ")
                .append("one waits for the transcodes of the windows the moments before it listed. The idle rows ")
                .append("ask 20 more -1x moments, each once no transcode has run for a second.\n\n")
                .append("| Measure | p50 | p95 | max | n |\n|---|---|---|---|---|\n");
        for (Result r : List.of(small, large)) {
            for (var e : r.first.entrySet()) {
                String speed = e.getKey().replace(IDLE, "");
                md.append(PlaybackBenchmark.row("Time to first segment, new moment"
                        + (e.getKey().endsWith(IDLE) ? IDLE : "") + ", " + r.size + ", " + speed + "x ("
                        + (Math.abs(Double.parseDouble(speed)) <= 2 ? "smooth" : "keyframes only") + ")", e.getValue()));
            }
        }
        md.append("\n");
        for (Result r : List.of(small, large)) {
            md.append(String.format(Locale.ROOT, "- %s, smooth 2x of one minute (%d frames in, %d out): this "
                            + "gateway's transcoder (GStreamer avdec_h264 and x264enc %s, constant quality 23, "
                            + "per 4 s window, an IDR each) %.1f s CPU (%.1f s wall), **%.0f output frames per CPU "
                            + "second**; `ffmpeg -vf setpts=PTS/2,fps=25 -c:v libx264 -preset %s -tune "
                            + "zerolatency -crf 23 -g 50` (an IDR per 50 output frames, as ours) on the same frames "
                            + "%.1f s CPU (%d frames out), %.0f frames per CPU second: ratio **%.2f×** (CPU of the "
                            + "whole JVM, after one untimed pass over the same minute, and of the ffmpeg process, "
                            + "user + system).%n", r.size, r.minuteFrames, r.outFrames, r.preset, r.oursCpu,
                    r.oursWall, r.outFrames / r.oursCpu, r.preset, r.ff[0], r.ffFrames, r.ffFrames / r.ff[0],
                    (r.outFrames / r.oursCpu) / (r.ffFrames / r.ff[0])))
                    .append(String.format(Locale.ROOT, "- %s, keyframes only at 8x: the %d IDRs re-timed and muxed by "
                            + "this gateway at %.0f frames/s; `ffmpeg -c copy -bsf:v noise=drop=not(key) -f mpegts` "
                            + "(%d frames out) %.0f frames/s (process start included; %.2f s CPU): ratio **%.1f×**.%n",
                            r.size, r.keyframes, r.oursKfps, r.ffKeyframes, r.ffKfps, r.copy[0], r.oursKfps / r.ffKfps));
            for (var e : r.held.entrySet()) {
                md.append(String.format(Locale.ROOT, "- %s, concurrent viewers at %sx, each at its own new moment "
                        + "playing 5 segments with a 12 s buffer: %d held with no segment late%s.%n", r.size,
                        e.getKey(), e.getValue()[0], e.getValue()[1] > 0 ? " (at " + e.getValue()[1]
                                + ", some were late or refused)" : ""));
            }
        }
        md.append("- Time to first segment at 1x: see Playback.\n");
        BenchmarksFile.write(benchmarksFile, "speed", md.toString());
        System.out.println(md);
    }

    private static final String IDLE = " on an idle gateway";

    /** Waits until no transcode has run for a second (at most 30 s). */
    private static void awaitNoTranscode() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (PictureTranscoder.livePipelines() > 0) {
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > 1_000_000_000L) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /**
     * Every measure on one picture size: {@code segments} 4 s segments of one camera fetched at 1x are
     * the frames both transcoders get; viewers double from one up to {@code maxViewers}.
     */
    private static Result measure(BenchEnvironment env, HttpClient http, String base, List<String[]> cameras,
                                  String size, int segments, int maxViewers) throws Exception {
        Map<String, Latencies> first = new java.util.LinkedHashMap<>();
        Map<String, int[]> held = new java.util.LinkedHashMap<>();
        Path dir = Files.createTempDirectory("cns-bench-speed");
        Path raw = dir.resolve("frames.h264");
        List<Moment> moments = PlaybackBenchmark.moments(env, cameras, new Random(23), 300);
        int at = 0;
        for (String speed : List.of("8", "-1", "-8")) {
            first.put(speed, PlaybackBenchmark.newMoments(http, base, moments.subList(at, at + 10),
                    moments.subList(at + 10, at + 40), speed));
            at += 40;
        }
        // The -1x moments above are asked one after another, so each waits for the transcodes of the
        // windows the ones before listed. Asked again with the gateway idle: each new moment once no
        // transcode has run for a second (a new viewer on a gateway nobody else plays smooth on).
        Latencies idle = new Latencies();
        for (Moment m : moments.subList(at, at + 20)) {
            awaitNoTranscode();
            PlaybackBenchmark.timeToFirstSegment(http, base, m, "-1", idle);
        }
        at += 20;
        first.put("-1" + IDLE, idle);
        // Some minutes of one camera at 1x, as recorded: the frames both transcoders get.
        Moment ten = moments.get(at++);
        long w0 = Math.floorDiv(ten.time().toEpochMilli(), 4000) * 4000;
        List<java.util.concurrent.CompletableFuture<byte[]>> segs = new ArrayList<>();
        var fetchers = Executors.newFixedThreadPool(8);
        for (int i = 0; i < segments; i++) {
            String url = base + "/api/v1/cameras/" + ten.camera() + "/playback/hls/v1/1/" + (w0 + i * 4000L)
                    + "_4000.ts";
            segs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> PlaybackBenchmark.get(http, url),
                    fetchers));
        }
        try (var out = Files.newOutputStream(raw)) {
            for (var seg : segs) {
                Path ts = dir.resolve("seg.ts");
                Files.write(ts, seg.join());
                Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-i", ts.toString(), "-c", "copy", "-f",
                        "h264", "-").start();
                out.write(p.getInputStream().readAllBytes());
                p.waitFor();
            }
        }
        fetchers.shutdown();
        // Concurrent viewers with no segment late, doubling until some are.
        for (String speed : List.of("-1", "4")) {
            int best = 0;
            int lateAtNext = -1;
            for (int n = 1; n <= maxViewers; n *= 2) {
                if (at + n > moments.size()) {
                    break;
                }
                PlaybackBenchmark.Viewers v = PlaybackBenchmark.viewers(http, base, moments.subList(at, at + n), 5,
                        speed, -1);
                at += n;
                if (v.late.get() > 0 || v.errors.get() > 0) {
                    lateAtNext = n;
                    break;
                }
                best = n;
            }
            held.put(speed, new int[] {best, lateAtNext});
        }
        List<byte[]> units = AnnexB.accessUnits(Files.readAllBytes(raw));
        List<PictureTranscoder.Source> sources = new ArrayList<>();
        for (byte[] u : units) {
            sources.add(new PictureTranscoder.Source(RecordingTimeSei.read(u).orElse(0), AnnexB.firstSliceType(u) == 5, u));
        }
        // Smooth 2x of the first 60 s: our transcoder (per 4 s window, as segments are made) and ffmpeg.
        List<PictureTranscoder.Source> minute = sources.subList(0, Math.min(1500, sources.size()));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = 0;
        long wall0 = 0;
        int outFrames = 0;
        for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT up, as a running gateway's is
            cpu0 = os.getProcessCpuTime();
            wall0 = System.nanoTime();
            outFrames = 0;
            for (int i = 0; i + 100 <= minute.size(); i += 100) {
                outFrames += PictureTranscoder.transcode(PictureTranscoder.Codec.H264, minute.subList(i, i + 100),
                        twoX(100), PictureTranscoder.Settings.DEFAULT).size();
            }
        }
        double oursCpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        double oursWall = (System.nanoTime() - wall0) / 1e9;
        Path minuteRaw = dir.resolve("minute.h264");
        try (var out = Files.newOutputStream(minuteRaw)) {
            for (PictureTranscoder.Source s : minute) {
                out.write(s.data());
            }
        }
        String[] wh = size.split("×");
        String preset = PictureTranscoder.Settings.DEFAULT.presetFor(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
        double[] ff = cpuOf("ffmpeg -v error -y -f h264 -framerate 25 -i " + minuteRaw + " -vf setpts=PTS/2,fps=25"
                + " -c:v libx264 -preset " + preset + " -tune zerolatency -crf 23 -bf 0 -g 50 -keyint_min 50"
                + " -sc_threshold 0 -f mpegts " + dir.resolve("ffmpeg-smooth.ts"));
        int ffFrames = frames(dir.resolve("ffmpeg-smooth.ts"));

        // Keyframes only at 8x: the IDRs of the frames, 32 s a segment.
        List<FrameSource.Frame> keyframes = new ArrayList<>();
        for (PictureTranscoder.Source s : sources) {
            if (s.keyframe()) {
                keyframes.add(new FrameSource.Frame(s.timeMs(), true, FrameSource.Codec.H264, s.data()));
            }
        }
        KeyframesEncoder eight = new KeyframesEncoder(new Rendition(Speed.EIGHT, Rendition.Mode.KEYFRAMES));
        int rounds = Math.max(5, 30_000 / keyframes.size());
        long k0 = System.nanoTime();
        long bytes = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < keyframes.size(); i += 32) {
                List<FrameSource.Frame> seg = keyframes.subList(i, Math.min(keyframes.size(), i + 32));
                bytes += eight.encode(seg, seg.get(seg.size() - 1).timeMs() + 1000).length;
            }
        }
        if (bytes == 0) {
            throw new IllegalStateException("nothing muxed");
        }
        double oursKfps = (double) keyframes.size() * rounds / ((System.nanoTime() - k0) / 1e9);
        long c0 = System.nanoTime();
        double[] copy = cpuOf("ffmpeg -v error -y -f h264 -framerate 25 -i " + raw + " -c copy -bsf:v 'noise=drop=not(key)'"
                + " -f mpegts " + dir.resolve("ffmpeg-keyframes.ts"));
        double ffKfps = keyframes.size() / ((System.nanoTime() - c0) / 1e9);
        int ffKeyframes = frames(dir.resolve("ffmpeg-keyframes.ts"));
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        return new Result(size, preset, first, held, outFrames, oursCpu, oursWall, ff, ffFrames, keyframes.size(),
                oursKfps, ffKeyframes, ffKfps, copy, minute.size());
    }

    /** Slots of 2x for {@code n} pictures: every other one, 40 ms apart. */
    private static List<PictureTranscoder.Slot> twoX(int n) {
        List<PictureTranscoder.Slot> out = new ArrayList<>();
        for (int i = 0, k = 0; i < n; i += 2, k++) {
            out.add(new PictureTranscoder.Slot(i, 3600L * k));
        }
        return out;
    }

    /** The user + system CPU seconds of a shell command, and its wall seconds. */
    private static double[] cpuOf(String command) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c", "TIMEFORMAT='%U+%S'; time (" + command + ")")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + ": " + out);
        }
        Matcher m = TIME.matcher(out.strip().substring(out.strip().lastIndexOf('\n') + 1));
        if (!m.find()) {
            throw new IllegalStateException("no time in " + out);
        }
        return new double[] {Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2)),
            (System.nanoTime() - t0) / 1e9};
    }

    private static int frames(Path ts) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_packets", "-show_entries",
                "stream=nb_read_packets", "-of", "csv=p=0", ts.toString()).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return Integer.parseInt(out.split("[,\\s]")[0]);
    }
}
