package com.cns.gateway.bench;

import com.cns.gateway.transcoder.mux.AccessUnit;
import com.cns.gateway.transcoder.mux.AnnexB;
import com.cns.gateway.transcoder.mux.TsMuxer;
import com.cns.gateway.transcoder.sei.RecordingTimeSei;
import com.cns.xprotect.simulator.CameraProfile;
import com.cns.xprotect.simulator.RecordedSpan;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PlaybackBenchmark measures HLS playback against the simulator with 5 ms one-way latency on the
 * recorders (a LAN): time to first segment after a play request at a new moment (cold) and at a
 * moment played before (warm); 50 concurrent viewers at different moments paced like players, counting
 * segments that arrive after their playback deadline, and the heap they hold outside the segment
 * cache; remux throughput against {@code ffmpeg -c copy -f hls} on the same frames; and cached segment
 * serving against nginx serving the same files, both loaded by wrk. The gateway and the load run in
 * one JVM on the same cores.
 */
final class PlaybackBenchmark {
    private static final Pattern INF = Pattern.compile("#EXTINF:([0-9.]+),\\s*\\n(hls/\\S+)");
    private static final int GRID_MS = 4000;
    /** Seconds of wrk before each measured pass of cached serving. */
    private static final int WARM_UP_S = 20;

    record Moment(String camera, Instant time) {
    }

    record Entry(String uri, long durationMs) {
    }

    private PlaybackBenchmark() {
    }

    static void run(Path benchmarksFile) throws Exception {
        StringBuilder md = new StringBuilder();
        try (BenchEnvironment env = new BenchEnvironment(120, 5, Map.of())) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();
            String base = "http://127.0.0.1:" + env.port;
            List<String[]> cameras = importedFixedCameras(env, http, base);
            Random random = new Random(7);
            List<Moment> moments = moments(env, cameras, random, 140);

            // Time to first segment: playlist, then its first segment, one viewer at a time. "Cold" means
            // a moment nobody played (nothing cached or learned), in a gateway whose JIT has warmed up on
            // ten other moments first, as a gateway that has run for a while.
            Latencies cold = newMoments(http, base, moments.subList(130, 140), moments.subList(0, 30));
            Latencies warm = new Latencies();
            for (Moment m : moments.subList(0, 30)) {
                timeToFirstSegment(http, base, m, warm);
            }

            // 50 viewers at once, each at its own new moment, paced like a player with a 12 s buffer.
            long heapBefore = heapAfterGc();
            double cacheBefore = gauge(http, base, "gateway_playback_cache_bytes");
            Viewers viewers = viewers(http, base, moments.subList(30, 80), 10);
            long heapDuring = viewers.heapDuring;
            double cacheDuring = viewers.cacheDuring;

            // Remux throughput: our muxer and ffmpeg on the same frames (10 minutes of one camera).
            Path dir = Files.createTempDirectory("cns-bench-playback");
            Moment ten = moments.get(80);
            String camera = ten.camera();
            long w0 = Math.floorDiv(ten.time().toEpochMilli(), GRID_MS) * GRID_MS;
            List<String> paths = new ArrayList<>();
            ExecutorService fetchers = Executors.newFixedThreadPool(8);
            AtomicLong producedFrames = new AtomicLong();
            long p0 = System.nanoTime();
            List<CompletableFuture<byte[]>> segs = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                String path = "/api/v1/cameras/" + camera + "/playback/hls/v1/1/" + (w0 + (long) i * GRID_MS) + "_"
                        + GRID_MS + ".ts";
                paths.add(path);
                segs.add(CompletableFuture.supplyAsync(() -> get(http, base + path), fetchers));
            }
            Path raw = dir.resolve("frames.h264");
            List<Path> tsFiles = new ArrayList<>();
            for (int i = 0; i < segs.size(); i++) {
                byte[] ts = segs.get(i).join();
                Path f = dir.resolve("mirror" + paths.get(i));
                Files.createDirectories(f.getParent());
                Files.write(f, ts);
                tsFiles.add(f);
            }
            double productionSeconds = (System.nanoTime() - p0) / 1e9;
            fetchers.shutdown();
            try (var out = Files.newOutputStream(raw)) {
                for (Path f : tsFiles) {
                    Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-i", f.toString(), "-c", "copy", "-f",
                            "h264", "-").start();
                    out.write(p.getInputStream().readAllBytes());
                    p.waitFor();
                }
            }
            List<byte[]> units = AnnexB.accessUnits(Files.readAllBytes(raw));
            producedFrames.set(units.size());
            double oursFps = remuxFramesPerSecond(units);
            double ffmpegFps = ffmpegFramesPerSecond(raw, dir.resolve("ffmpeg-hls"), units.size());

            // Cached serving: the gateway and nginx, same files, same paths, wrk with 50 connections.
            String wrkScript = wrkScript(dir, paths);
            int nginxPort = freePort();
            Process nginx = startNginx(dir, nginxPort);
            String gatewayWrk;
            String nginxWrk;
            try {
                // Each server gets a 20 s warm-up pass first (the JIT for the gateway, the page cache for nginx):
                // with the access checks in front of every segment, 5 s left the gateway's JIT unfinished
                // (a run by hand: 16.6k req/s in the first 12 s, 29.7k after).
                wrk(wrkScript, base, WARM_UP_S);
                gatewayWrk = wrk(wrkScript, base, 10);
                wrk(wrkScript, "http://127.0.0.1:" + nginxPort, WARM_UP_S);
                nginxWrk = wrk(wrkScript, "http://127.0.0.1:" + nginxPort, 10);
            } finally {
                nginx.destroy();
                nginx.waitFor(10, TimeUnit.SECONDS);
            }
            double gatewayRps = requestsPerSecond(gatewayWrk);
            double nginxRps = requestsPerSecond(nginxWrk);

            md.append("## Playback: time to first segment, 50 viewers, remux and cached serving\n\n")
                    .append("Command: `scripts/bench.sh playback` (").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                    .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                    .append(System.getProperty("java.version")).append("). Simulator: 120 cameras on 4 recorders, ")
                    .append("H.264 320×180 at 25 fps with a 1 s GOP, 5 ms one-way latency on every ImageServer and ")
                    .append("SOAP call (10 ms per frame round trip); gateway defaults (4 s grid, 32 ImageServer ")
                    .append("connections per recorder, 16 productions at once, 3 segments prefetched). The load runs in ")
                    .append("the gateway's JVM on the same cores. A new moment is one nobody played (nothing cached or ")
                    .append("learned), asked after ten other new moments warmed the JIT up.\n\n")
                    .append("| Measure | p50 | p95 | max | n |\n|---|---|---|---|---|\n")
                    .append(row("Time to first segment, new moment (playlist + first segment)", cold))
                    .append(row("Time to first segment, moment played before", warm))
                    .append(row("50 viewers: segment fetch time", viewers.fetch))
                    .append("\n")
                    .append(String.format(Locale.ROOT, "- 50 concurrent viewers at 50 new moments, each playing %d "
                            + "segments at 1x with a 12 s buffer: %d segments fetched, **%d late** (after their "
                            + "playback deadline; worst %.0f ms), %d errors.%n", 10, viewers.fetch.count(),
                            viewers.late.get(), viewers.worstLateMs.get() / 1.0, viewers.errors.get()))
                    .append(String.format(Locale.ROOT, "- Heap held per viewer: %.0f KiB (heap after GC %d MiB idle, "
                            + "%d MiB with 50 viewers, load driver included); the segment cache is off the heap and "
                            + "held %.1f MiB more.%n", Math.max(0, heapDuring - heapBefore) / 50 / 1024.0,
                            heapBefore >> 20, heapDuring >> 20, (cacheDuring - cacheBefore) / 1048576.0))
                    .append(String.format(Locale.ROOT, "- Remux of the same %d frames (10 min): this gateway's "
                            + "muxer %.0f frames/s, `ffmpeg -c copy -f hls -hls_time 4` %.0f frames/s (process start "
                            + "included): ratio **%.1f×**.%n", units.size(), oursFps, ffmpegFps, oursFps / ffmpegFps))
                    .append(String.format(Locale.ROOT, "- Production from the recorder of those 150 segments, 8 at a "
                            + "time, cold: %.1f s, %.0f frames/s (bound by ImageServer's one frame per round trip).%n",
                            productionSeconds, producedFrames.get() / productionSeconds))
                    .append(String.format(Locale.ROOT, "- Cached segments (150 files, ~%d KiB each), wrk -t2 -c50 -d10s "
                            + "over the same paths after a " + WARM_UP_S + " s warm-up each: gateway %.0f req/s, nginx %.0f req/s: "
                            + "ratio **%.2f**.%n",
                            Files.size(tsFiles.get(0)) / 1024, gatewayRps, nginxRps, gatewayRps / nginxRps))
                    .append("\n<details><summary>wrk output</summary>\n\n```\n# gateway\n").append(gatewayWrk.strip())
                    .append("\n# nginx\n").append(nginxWrk.strip()).append("\n```\n</details>\n");
        }
        // The same cold start with four ImageServer requests in flight per connection (not the default).
        Latencies pipelinedCold;
        try (BenchEnvironment env = new BenchEnvironment(120, 5, Map.of("MILESTONE_IMAGESERVER_IN_FLIGHT", "4"))) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
            String base = "http://127.0.0.1:" + env.port;
            List<Moment> moments = moments(env, importedFixedCameras(env, http, base), new Random(11), 40);
            pipelinedCold = newMoments(http, base, moments.subList(30, 40), moments.subList(0, 30));
        }
        int at = md.indexOf("\n\n- 50 concurrent");
        md.insert(at, "\n" + row("Time to first segment, new moment, `MILESTONE_IMAGESERVER_IN_FLIGHT=4`", pipelinedCold)
                .stripTrailing());
        BenchmarksFile.write(benchmarksFile, "playback", md.toString());
        System.out.println(md);
    }

    /**
     * Times to first segment at {@code measured} moments nobody played, after the {@code warmUp} ones have
     * warmed the JIT up (a fresh JVM's first requests take up to a second and would set the p95 alone).
     */
    private static Latencies newMoments(HttpClient http, String base, List<Moment> warmUp, List<Moment> measured) {
        return newMoments(http, base, warmUp, measured, "1");
    }

    /** As above, at {@code speed}. */
    static Latencies newMoments(HttpClient http, String base, List<Moment> warmUp, List<Moment> measured,
                                String speed) {
        for (Moment m : warmUp) {
            timeToFirstSegment(http, base, m, speed, new Latencies());
        }
        Latencies out = new Latencies();
        for (Moment m : measured) {
            timeToFirstSegment(http, base, m, speed, out);
        }
        return out;
    }

    /** Imports every camera (sync-all with autoImport) and returns those of the plain profile that record. */
    static List<String[]> importedFixedCameras(BenchEnvironment env, HttpClient http, String base)
            throws Exception {
        JsonObject job = new JsonObject(TimelineLoadBenchmark.send(http, "POST", base + "/api/v1/milestone/sync-all",
                "{\"autoImport\":true}").body());
        TimelineLoadBenchmark.waitForJob(http, base, job.getString("syncJobId"));
        return fixedCameras(env, http, base);
    }

    /** The imported cameras of the plain profile (25 fps, 1 s GOP) that record: {CNS id, XProtect id}. */
    private static List<String[]> fixedCameras(BenchEnvironment env, HttpClient http, String base) throws Exception {
        return camerasOf(env, http, base, CameraProfile.FIXED_GOP);
    }

    /** The imported cameras of {@code profile} that record: {CNS id, XProtect id}. */
    static List<String[]> camerasOf(BenchEnvironment env, HttpClient http, String base, CameraProfile profile)
            throws Exception {
        List<String[]> cameras = new ArrayList<>();
        new JsonObject(TimelineLoadBenchmark.send(http, "GET", base + "/api/v1/cameras?limit=200", null).body())
                .getJsonArray("cameras").forEach(o -> {
                    JsonObject c = (JsonObject) o;
                    String device = c.getString("milestone_device_id");
                    if (env.simulator.site().profile(device) == profile
                            && env.simulator.site().camera(device).recordingEnabled()) {
                        cameras.add(new String[] {c.getString("id"), device});
                    }
                });
        return cameras;
    }

    static List<Moment> moments(BenchEnvironment env, List<String[]> cameras, Random random, int n) {
        List<Moment> out = new ArrayList<>();
        Instant now = Instant.now();
        while (out.size() < n) {
            String[] c = cameras.get(out.size() % cameras.size());
            Instant t = now.minus(Duration.ofMinutes(120 + random.nextInt(60 * 44)));
            for (RecordedSpan s : env.simulator.history().spans(c[1], t, t.plus(Duration.ofHours(2)))) {
                if (s.end().toEpochMilli() - s.begin().toEpochMilli() > 15 * 60_000L) {
                    out.add(new Moment(c[0], s.begin().plusMillis(60_000 + random.nextInt(60_000))));
                    break;
                }
            }
        }
        return out;
    }

    private static String streamUrl(String base, Moment m) {
        return streamUrl(base, m, "1");
    }

    static String streamUrl(String base, Moment m, String speed) {
        return base + "/api/v1/cameras/" + m.camera() + "/playback/stream?time="
                + URLEncoder.encode(m.time().toString(), StandardCharsets.UTF_8) + "&speed=" + speed;
    }

    private static void timeToFirstSegment(HttpClient http, String base, Moment m, Latencies into) {
        timeToFirstSegment(http, base, m, "1", into);
    }

    static void timeToFirstSegment(HttpClient http, String base, Moment m, String speed, Latencies into) {
        long t0 = System.nanoTime();
        try {
            List<Entry> entries = entries(TimelineLoadBenchmark.send(http, "GET", streamUrl(base, m, speed), null)
                    .body());
            byte[] first = get(http, base + "/api/v1/cameras/" + m.camera() + "/playback/" + entries.get(0).uri());
            if (first.length > 0) {
                into.add(System.nanoTime() - t0);
                return;
            }
        } catch (Exception e) {
            // counted below
        }
        into.error();
    }

    static List<Entry> entries(String playlist) {
        List<Entry> out = new ArrayList<>();
        Matcher m = INF.matcher(playlist);
        while (m.find()) {
            out.add(new Entry(m.group(2), Math.round(Double.parseDouble(m.group(1)) * 1000)));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no segment in " + playlist);
        }
        return out;
    }

    static byte[] get(HttpClient http, String url) {
        try {
            HttpResponse<byte[]> r = http.send(BenchEnvironment.request(url).timeout(Duration.ofSeconds(60))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode());
            }
            return r.body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the viewers saw. */
    static final class Viewers {
        final Latencies fetch = new Latencies();
        final AtomicInteger late = new AtomicInteger();
        final AtomicLong worstLateMs = new AtomicLong();
        final AtomicInteger errors = new AtomicInteger();
        volatile long heapDuring;
        volatile double cacheDuring;
    }

    private static Viewers viewers(HttpClient http, String base, List<Moment> moments, int segments)
            throws Exception {
        return viewers(http, base, moments, segments, "1", 25_000);
    }

    /** Viewers at {@code speed}, their heap and cache sampled {@code sampleAfterMs} in (negative: not sampled). */
    static Viewers viewers(HttpClient http, String base, List<Moment> moments, int segments, String speed,
                           long sampleAfterMs) throws Exception {
        Viewers v = new Viewers();
        ExecutorService pool = Executors.newFixedThreadPool(moments.size());
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Moment m : moments) {
            all.add(CompletableFuture.runAsync(() -> play(http, base, m, segments, speed, v), pool));
        }
        if (sampleAfterMs >= 0) {
            Thread.sleep(sampleAfterMs);
            v.heapDuring = heapAfterGc();
            v.cacheDuring = gauge(http, base, "gateway_playback_cache_bytes");
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        pool.shutdown();
        return v;
    }

    /**
     * One player: loads the playlist, fetches segments in order, starts playing when the first arrives,
     * keeps at most 12 s buffered, reloads the playlist when it runs out of listed segments, and counts
     * a segment late if it arrives after the moment playback reaches it.
     */
    private static void play(HttpClient http, String base, Moment m, int segments, String speed, Viewers v) {
        try {
            List<Entry> entries = entries(TimelineLoadBenchmark.send(http, "GET", streamUrl(base, m, speed), null)
                    .body());
            long playStart = -1;
            long buffered = 0;
            for (int i = 0; i < segments; i++) {
                while (i >= entries.size()) {
                    Thread.sleep(500);
                    entries = entries(TimelineLoadBenchmark.send(http, "GET", streamUrl(base, m, speed), null).body());
                }
                long t0 = System.nanoTime();
                get(http, base + "/api/v1/cameras/" + m.camera() + "/playback/" + entries.get(i).uri());
                long now = System.nanoTime();
                v.fetch.add(now - t0);
                if (playStart < 0) {
                    playStart = now;
                }
                long lateMs = (now - (playStart + buffered * 1_000_000)) / 1_000_000;
                if (lateMs > 0) {
                    v.late.incrementAndGet();
                    v.worstLateMs.accumulateAndGet(lateMs, Math::max);
                }
                buffered += entries.get(i).durationMs();
                long ahead = playStart + (buffered - 12_000) * 1_000_000 - System.nanoTime();
                if (ahead > 0) {
                    Thread.sleep(ahead / 1_000_000);
                }
            }
        } catch (Exception e) {
            v.errors.incrementAndGet();
        }
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static double gauge(HttpClient http, String base, String name) throws Exception {
        for (String line : TimelineLoadBenchmark.send(http, "GET", base + "/metrics", null).body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** Frames per second through this gateway's muxer, 100 frames a segment, after a JIT warm-up. */
    private static double remuxFramesPerSecond(List<byte[]> units) {
        List<AccessUnit> aus = new ArrayList<>(units.size());
        for (byte[] u : units) {
            long t = RecordingTimeSei.read(u).orElse(0);
            boolean key = AnnexB.firstSliceType(u) == 5;
            aus.add(new AccessUnit(u, AccessUnit.clock90k(t), AccessUnit.clock90k(t), key));
        }
        long bytes = 0;
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < aus.size(); i += 100) {
                bytes += TsMuxer.segment(aus.subList(i, Math.min(aus.size(), i + 100))).length;
            }
        }
        int rounds = 10;
        long t0 = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < aus.size(); i += 100) {
                bytes += TsMuxer.segment(aus.subList(i, Math.min(aus.size(), i + 100))).length;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (bytes == 0) {
            throw new IllegalStateException("nothing muxed");
        }
        return (double) aus.size() * rounds / seconds;
    }

    private static double ffmpegFramesPerSecond(Path raw, Path out, int frames) throws Exception {
        Files.createDirectories(out);
        double best = 0;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "h264", "-framerate", "25", "-i",
                    raw.toString(), "-c", "copy", "-f", "hls", "-hls_time", "4", "-hls_list_size", "0",
                    out.resolve("index.m3u8").toString()).redirectErrorStream(true).start();
            String err = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + err);
            }
            best = Math.max(best, frames / ((System.nanoTime() - t0) / 1e9));
        }
        return best;
    }

    private static String wrkScript(Path dir, List<String> paths) throws IOException {
        StringBuilder lua = new StringBuilder("local paths = {\n");
        for (String p : paths) {
            lua.append("  \"").append(p).append("\",\n");
        }
        // Both servers get the gateway's Authorization header (nginx ignores it), so the gateway's figure
        // includes verifying the token on every request, as a signed-in player's requests need.
        lua.append("}\nlocal i = 0\nlocal headers = { [\"Authorization\"] = \"Bearer ").append(BenchEnvironment.token)
                .append("\" }\nrequest = function()\n  i = i % #paths + 1\n"
                + "  return wrk.format(\"GET\", paths[i], headers)\nend\n");
        Path f = dir.resolve("paths.lua");
        Files.writeString(f, lua);
        return f.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process startNginx(Path dir, int port) throws Exception {
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, "daemon off;\nworker_processes 2;\nuser root;\npid " + dir.resolve("nginx.pid")
                + ";\nerror_log " + dir.resolve("nginx-error.log") + ";\nevents { worker_connections 1024; }\n"
                + "http {\n  access_log off;\n  sendfile on;\n  types { video/mp2t ts; }\n"
                + "  client_body_temp_path " + dir.resolve("tmp") + ";\n  proxy_temp_path " + dir.resolve("tmp") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("tmp") + ";\n  uwsgi_temp_path " + dir.resolve("tmp") + ";\n"
                + "  scgi_temp_path " + dir.resolve("tmp") + ";\n"
                + "  server {\n    listen 127.0.0.1:" + port + ";\n    root " + dir.resolve("mirror") + ";\n"
                + "    add_header Cache-Control \"public, max-age=31536000, immutable\";\n  }\n}\n");
        String bin = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
        Process p = new ProcessBuilder(bin, "-c", conf.toString(), "-p", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        for (int i = 0; i < 50; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("nginx.out")));
    }

    private static String wrk(String script, String base, int seconds) throws Exception {
        Process p = new ProcessBuilder("wrk", "-t2", "-c50", "-d" + seconds + "s", "--latency", "-s", script, base)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        return out;
    }

    private static double requestsPerSecond(String wrkOutput) {
        Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(wrkOutput);
        if (!m.find()) {
            throw new IllegalStateException("no Requests/sec in " + wrkOutput);
        }
        return Double.parseDouble(m.group(1));
    }

    static String row(String name, Latencies l) {
        return String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms | %d%s |%n", name, l.percentileMs(50),
                l.percentileMs(95), l.percentileMs(100), l.count(), l.errors() > 0 ? " (" + l.errors() + " errors)" : "");
    }
}
