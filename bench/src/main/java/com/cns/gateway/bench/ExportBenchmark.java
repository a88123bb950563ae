package com.cns.gateway.bench;

import com.cns.gateway.transcoder.mp4.Mp4Writer;
import com.cns.gateway.transcoder.mux.AnnexB;
import com.cns.xprotect.simulator.CameraProfile;
import com.cns.xprotect.simulator.RecordedSpan;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ExportBenchmark measures evidence export speed in recording minutes per wall-clock second, through
 * the API against the simulator (5 ms one-way latency on the recorders, as in Playback): a remuxed hour
 * of a 25 fps camera, ten minutes burned-in (transcoded) and ten minutes of an H.265 camera. In the
 * same run, on the same frames (the remuxed hour's H.264, extracted from its MP4), {@code ffmpeg -c
 * copy} writes an MP4 from a local file, and so does the gateway's own MP4 writer alone: the first
 * comparison includes reading every frame from the recorder over ImageServer, the second is muxer
 * against muxer.
 */
final class ExportBenchmark {
    private ExportBenchmark() {
    }

    record Run(String what, double recordingMinutes, double seconds, long frames, long bytes) {
        double minutesPerSecond() {
            return recordingMinutes / seconds;
        }
    }

    static void run(Path benchmarksFile) throws Exception {
        Run hour;
        Run burned;
        Run hevc;
        Run ffmpeg;
        Run writer;
        try (BenchEnvironment env = new BenchEnvironment(12, 5, Map.of())) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + env.port;
            List<String[]> fixed = PlaybackBenchmark.importedFixedCameras(env, http, base);
            List<String[]> h265 = PlaybackBenchmark.camerasOf(env, http, base, CameraProfile.H265);
            // Warm-up: the JIT and the pipelines on a minute of another moment.
            Instant[] warm = recorded(env, fixed.get(0)[1], Duration.ofMinutes(1), 3);
            export(http, base, fixed.get(0)[0], warm, false, "warm-up", null);
            Path dir = Files.createTempDirectory("cns-bench-export");
            Path hourFile = dir.resolve("hour.mp4");
            hour = export(http, base, fixed.get(0)[0], recorded(env, fixed.get(0)[1], Duration.ofHours(1), 2), false,
                    "1 h, 25 fps H.264, remuxed", hourFile);
            burned = export(http, base, fixed.get(1 % fixed.size())[0],
                    recorded(env, fixed.get(1 % fixed.size())[1], Duration.ofMinutes(10), 2), true,
                    "10 min, 25 fps H.264, recording time burned in (transcoded)", null);
            hevc = export(http, base, h265.get(0)[0], recorded(env, h265.get(0)[1], Duration.ofMinutes(10), 2), false,
                    "10 min, 25 fps H.265, transcoded to H.264", null);

            // The same frames, from a local file: ffmpeg's MP4 muxer, then ours.
            Path raw = dir.resolve("hour.h264");
            exec("ffmpeg", "-v", "error", "-y", "-i", hourFile.toString(), "-c", "copy", "-bsf:v", "h264_mp4toannexb",
                    "-f", "h264", raw.toString());
            long f0 = System.nanoTime();
            exec("ffmpeg", "-v", "error", "-y", "-f", "h264", "-framerate", "25", "-i", raw.toString(), "-c", "copy",
                    "-movflags", "+faststart", dir.resolve("ffmpeg.mp4").toString());
            double ffmpegSeconds = (System.nanoTime() - f0) / 1e9;
            ffmpeg = new Run("same frames, local file: `ffmpeg -c copy -movflags +faststart` to MP4",
                    hour.recordingMinutes(), ffmpegSeconds, hour.frames(), Files.size(dir.resolve("ffmpeg.mp4")));
            List<byte[]> units = AnnexB.accessUnits(Files.readAllBytes(raw));
            long w0 = System.nanoTime();
            try (Mp4Writer w = new Mp4Writer(dir.resolve("writer.mp4"), dir.resolve("writer.mdat"))) {
                for (int i = 0; i < units.size(); i++) {
                    w.write(units.get(i), 40L * i, 40L * i, AnnexB.firstSliceType(units.get(i)) == 5);
                }
                w.finish(40);
            }
            writer = new Run("same frames, local file: the gateway's Mp4Writer alone", hour.recordingMinutes(),
                    (System.nanoTime() - w0) / 1e9, units.size(), Files.size(dir.resolve("writer.mp4")));
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("## Export: recorded ranges to MP4\n\n")
                .append("Command: `scripts/bench.sh export` (").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append("). Through the API (POST, then GET until ")
                .append("completed, polled every 200 ms), against the simulator as in Playback (320×180, 25 fps, ")
                .append("1 s GOP, 5 ms one-way latency on the recorders), after a one-minute warm-up export. The ")
                .append("reference rows mux the remuxed hour's own frames (extracted from its MP4) from a local file ")
                .append("in the same run: `ffmpeg` reads no recorder, so the first comparison is the whole export ")
                .append("(frames read over ImageServer, MP4 written, SHA-256, manifest signed) against a muxer, and ")
                .append("the last row is muxer against muxer.\n\n")
                .append("| Export | recording | wall | recording min / wall s | frames | MB |\n|---|---|---|---|---|---|\n");
        for (Run r : List.of(hour, burned, hevc, ffmpeg, writer)) {
            md.append(String.format(Locale.ROOT, "| %s | %.0f min | %.2f s | %.1f | %d | %.1f |%n", r.what(),
                    r.recordingMinutes(), r.seconds(), r.minutesPerSecond(), r.frames(), r.bytes() / 1e6));
        }
        md.append(String.format(Locale.ROOT, "%nThe remuxed export runs at %.3f× ffmpeg's speed on the same frames "
                + "(ffmpeg from a local file, the gateway from the recorder).%n",
                hour.minutesPerSecond() / ffmpeg.minutesPerSecond()));
        BenchmarksFile.write(benchmarksFile, "export", md.toString());
        System.out.println(md);
    }

    /** {@code length} of a recorded sequence longer than it, about {@code daysBack} days ago. */
    private static Instant[] recorded(BenchEnvironment env, String device, Duration length, int daysBack) {
        Instant t = Instant.now().minus(Duration.ofDays(daysBack));
        for (RecordedSpan s : env.simulator.history().spans(device, t.minus(Duration.ofDays(1)), t)) {
            if (Duration.between(s.begin(), s.end()).compareTo(length.plusMinutes(1)) > 0) {
                return new Instant[] {s.begin().plusSeconds(20), s.begin().plusSeconds(20).plus(length)};
            }
        }
        throw new IllegalStateException("no sequence longer than " + length + " for " + device);
    }

    private static Run export(HttpClient http, String base, String camera, Instant[] range, boolean burn, String what,
                              Path keep) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> created = TimelineLoadBenchmark.send(http, "POST", base + "/api/v1/cameras/" + camera
                + "/exports", new JsonObject().put("startTime", range[0].toString()).put("endTime", range[1].toString())
                .put("burnTimestamp", burn).encode());
        if (created.statusCode() != 202) {
            throw new IllegalStateException("export answered " + created.statusCode() + ": " + created.body());
        }
        String id = new JsonObject(created.body()).getString("exportId");
        JsonObject job;
        do {
            Thread.sleep(200);
            job = new JsonObject(TimelineLoadBenchmark.send(http, "GET", base + "/api/v1/exports/" + id, null).body());
        } while (List.of("queued", "in_progress").contains(job.getString("status")));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!"completed".equals(job.getString("status"))) {
            throw new IllegalStateException("export " + id + " ended " + job.encode());
        }
        JsonObject manifest = new JsonObject(TimelineLoadBenchmark.send(http, "GET", base + "/api/v1/exports/" + id
                + "/manifest", null).body());
        if (keep != null) {
            Files.write(keep, PlaybackBenchmark.get(http, base + "/api/v1/exports/" + id + "/file"));
        }
        return new Run(what, Duration.between(range[0], range[1]).toSeconds() / 60.0, seconds,
                manifest.getLong("frameCount"), job.getLong("sizeBytes"));
    }

    private static void exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
