package com.cns.gateway.bench;

import com.cns.gateway.testsupport.Cluster;
import com.cns.gateway.testsupport.Http;
import com.cns.xprotect.simulator.CameraProfile;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatorOptions;
import com.cns.xprotect.simulator.XProtectSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * ClusterSoakBenchmark: the cluster harness with two instances behind nginx, and for {@code minutes}
 * 200 viewers at 1x, each at a moment no other viewer plays, plus 20 at other speeds moving to a new
 * moment and speed every 10 segments, all through nginx, paced like players with a 12 s buffer. Every
 * 30 s it samples each instance from outside (threads, RSS and open sockets from /proc, heap after a
 * GC it asks for with {@code jcmd}, GStreamer pipelines from /metrics) and counts the segments that
 * came after playback reached them; the samples go to a table and an SVG plot beside BENCHMARKS.md.
 */
final class ClusterSoakBenchmark {
    static final int VIEWERS_1X = 200;
    static final int VIEWERS_OTHER = 20;
    static final int CAMERAS = 100;
    private static final List<String> SPEEDS = List.of("-8", "-2", "-1", "-0.5", "0.5", "2", "4", "8");
    /** 1x moments lie this far apart on a camera, so that ten minutes of one never reach another's. */
    private static final Duration APART = Duration.ofMinutes(12);
    private static final Set<CameraProfile> PLAIN = Set.of(CameraProfile.FIXED_GOP, CameraProfile.VARIABLE_GOP,
            CameraProfile.FPS5, CameraProfile.BFRAMES);
    private static final String[] COLUMNS = {"threads", "RSS MiB", "heap after GC MiB", "sockets",
        "GStreamer pipelines", "heap committed MiB", "segment cache MiB"};

    private ClusterSoakBenchmark() {
    }

    record Moment(String camera, Instant time) {
    }

    /** One sample: seconds in, per instance the {@link #COLUMNS}, segments, late. */
    private record Sample(long at, long[][] instances, int segments, int late) {
    }

    static void run(Path benchmarksFile, int minutes) throws Exception {
        AtomicInteger segments = new AtomicInteger();
        AtomicInteger late = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger moves = new AtomicInteger();
        ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
        List<Sample> samples = new ArrayList<>();
        double hitRatio;
        try (Cluster cluster = Cluster.start(Path.of(System.getProperty("java.io.tmpdir")), 2, Map.of(
                "CLUSTER_SIMULATOR_ARGS", "--cameras=" + CAMERAS, "AUTH_REQUESTS_PER_MINUTE", "10000000",
                "HTTP_TRUSTED_PROXIES", "127.0.0.1"), QueryLoadBenchmark.classpath())) {
            Http nginx = cluster.nginx;
            JsonObject job = nginx.post("/api/v1/milestone/sync-all", "{\"autoImport\":true}").json();
            for (int i = 0; i < 600 && "in_progress".equals(nginx.get("/api/v1/milestone/sync-jobs/"
                    + job.getString("syncJobId")).json().getString("status")); i++) {
                Thread.sleep(100);
            }
            ConcurrentLinkedQueue<Moment> fresh = new ConcurrentLinkedQueue<>(moments(nginx, CAMERAS));
            List<Moment> anywhere = List.copyOf(fresh);
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(VIEWERS_1X + VIEWERS_OTHER);
            long t0 = System.nanoTime();
            for (int v = 0; v < VIEWERS_1X + VIEWERS_OTHER; v++) {
                boolean normal = v < VIEWERS_1X;
                Random r = new Random(v);
                long startAt = t0 + TimeUnit.MILLISECONDS.toNanos(v * 100L); // all started within 22 s
                pool.submit(() -> {
                    sleepUntil(startAt);
                    while (!stop.get()) {
                        Moment m = normal ? fresh.poll() : anywhere.get(r.nextInt(anywhere.size()));
                        if (m == null) {
                            errorSamples.add("no fresh moment left");
                            return;
                        }
                        try {
                            play(nginx, m, normal ? "1" : SPEEDS.get(r.nextInt(SPEEDS.size())),
                                    normal ? Integer.MAX_VALUE : 10, stop, segments, late, null, null);
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            if (errorSamples.size() < 5) {
                                errorSamples.add(m + ": " + e + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
                            }
                        }
                        if (!stop.get()) {
                            moves.incrementAndGet();
                        }
                    }
                });
            }
            long end = t0 + TimeUnit.MINUTES.toNanos(minutes);
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(30_000, Math.max(0, (end - System.nanoTime()) / 1_000_000)));
                samples.add(sample(cluster, (System.nanoTime() - t0) / 1_000_000_000L, segments.get(), late.get()));
            }
            stop.set(true);
            pool.shutdown();
            pool.awaitTermination(2, TimeUnit.MINUTES);
            Thread.sleep(5000);
            samples.add(sample(cluster, -1, segments.get(), late.get()));
            hitRatio = hitRatio(cluster.nginxAccessLog());
        }
        Path plot = benchmarksFile.toAbsolutePath().getParent().resolve("bench/results/soak-cluster.svg");
        Files.createDirectories(plot.getParent());
        Files.writeString(plot, svg(samples.subList(0, samples.size() - 1)));
        String md = markdown(minutes, samples, segments.get(), late.get(), errors.get(), moves.get(), hitRatio,
                List.copyOf(errorSamples));
        BenchmarksFile.write(benchmarksFile, "soak-cluster", md);
        System.out.println(md);
    }

    /**
     * 1x moments: recorded runs of the plain H.264 cameras in the last two days, one every
     * {@link #APART} with eleven minutes recorded after it, shuffled. The stand-alone simulator is
     * deterministic: a model of it with the same options, never started, says what it recorded.
     */
    static List<Moment> moments(Http gw, int cameras) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            XProtectSimulator model = new XProtectSimulator(vertx, SimulatorOptions.parse(
                    new String[] {"--cameras=" + cameras}));
            List<Moment> out = new ArrayList<>();
            Instant now = Instant.now();
            for (Object o : gw.get("/api/v1/cameras?limit=" + (cameras + 10)).json().getJsonArray("cameras")) {
                JsonObject c = (JsonObject) o;
                String device = c.getString("milestone_device_id");
                if (!PLAIN.contains(model.site().profile(device)) || !model.site().camera(device).recordingEnabled()) {
                    continue;
                }
                for (RecordedSpan s : model.history().spans(device, now.minus(Duration.ofHours(46)),
                        now.minus(Duration.ofHours(1)))) {
                    for (Instant t = s.begin().plusSeconds(10); t.plus(Duration.ofMinutes(11)).isBefore(s.end());
                         t = t.plus(APART)) {
                        out.add(new Moment(c.getString("id"), t));
                    }
                }
            }
            Collections.shuffle(out, new Random(41));
            if (out.size() < VIEWERS_1X * 2) {
                throw new IllegalStateException("only " + out.size() + " moments, " + VIEWERS_1X * 2 + " needed");
            }
            return out;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * One player through nginx: play from {@code m} at {@code speed}, fetch segments in order, start
     * playing at the first, keep at most 12 s buffered, reload the playlist when it runs out, and count
     * a segment late if it comes after playback reached it. Ends after {@code max} segments, at the
     * playlist's end, or when stopped. {@code listed} and {@code first} (if not null) get the times from
     * the control call to the first playlist's answer and to the first segment's last byte.
     */
    static void play(Http signedIn, Moment m, String speed, int max, AtomicBoolean stop, AtomicInteger segments,
                     AtomicInteger late, Latencies listed, Latencies first) throws Exception {
        long t0 = System.nanoTime();
        Http http = signedIn.anonymous(); // the playlist and segments go by their signed URLs, as players' do
        Http.Answer control = signedIn.post("/api/v1/cameras/" + m.camera()
                + "/playback/control", new JsonObject().put("action", "play").put("timestamp", m.time().toString())
                .put("speed", Double.parseDouble(speed)).encode());
        if (control.status() != 200) {
            throw new IllegalStateException("control answered " + control.status() + ": " + control.body());
        }
        String playlist = control.json().getString("playlistUrl");
        List<PlaybackBenchmark.Entry> entries = List.of();
        boolean ended = false;
        long playStart = -1;
        long buffered = 0;
        for (int i = 0; i < max && !stop.get(); i++) {
            while (i >= entries.size()) {
                if (ended) {
                    return;
                }
                if (!entries.isEmpty()) {
                    Thread.sleep(500);
                }
                Http.Answer list = http.get(playlist);
                if (list.status() != 200) {
                    throw new IllegalStateException("playlist answered " + list.status());
                }
                if (entries.isEmpty() && listed != null) {
                    listed.add(System.nanoTime() - t0);
                }
                entries = PlaybackBenchmark.entries(list.body());
                ended = list.body().contains("#EXT-X-ENDLIST");
            }
            var segment = http.bytes("/api/v1/cameras/" + m.camera() + "/playback/" + entries.get(i).uri());
            if (segment.statusCode() != 200) {
                throw new IllegalStateException("segment answered " + segment.statusCode());
            }
            long now = System.nanoTime();
            segments.incrementAndGet();
            if (playStart < 0) {
                playStart = now;
                if (first != null) {
                    first.add(now - t0);
                }
            } else if (now > playStart + buffered * 1_000_000) {
                late.incrementAndGet();
            }
            buffered += entries.get(i).durationMs();
            sleepUntil(playStart + (buffered - 12_000) * 1_000_000);
        }
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Sample sample(Cluster cluster, long at, int segments, int late) throws Exception {
        long[][] out = new long[cluster.gateways][];
        for (int i = 1; i <= cluster.gateways; i++) {
            long pid = cluster.gatewayPid(i);
            Process gc = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            gc.waitFor(30, TimeUnit.SECONDS);
            String metrics = cluster.gateway(i).anonymous().get("/metrics").body();
            out[i - 1] = new long[] {status(pid, "Threads:"), status(pid, "VmRSS:") >> 10,
                Math.round(sum(metrics, "jvm_memory_used_bytes{area=\"heap\"") / (1 << 20)), sockets(pid),
                Math.round(sum(metrics, "gateway_transcoder_gstreamer_pipelines")),
                Math.round(sum(metrics, "jvm_memory_committed_bytes{area=\"heap\"") / (1 << 20)),
                Math.round(sum(metrics, "gateway_playback_cache_bytes") / (1 << 20))};
        }
        return new Sample(at, out, segments, late);
    }

    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static long sockets(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }

    private static double sum(String metrics, String prefix) {
        return metrics.lines().filter(l -> prefix.contains("{") ? l.startsWith(prefix)
                        : l.startsWith(prefix + " ") || l.startsWith(prefix + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** nginx's cache hit ratio over segment requests, from its access log's {@code cache=} field. */
    private static double hitRatio(List<String> log) {
        long hits = log.stream().filter(l -> l.contains("/hls/") && l.contains("cache=HIT")).count();
        long all = log.stream().filter(l -> l.contains("/hls/") && !l.contains("cache=-")).count();
        return all == 0 ? 0 : (double) hits / all;
    }

    private static String markdown(int minutes, List<Sample> samples, int segments, int late, int errors, int moves,
                                   double hitRatio, List<String> errorSamples) {
        StringBuilder md = new StringBuilder("## Soak: 220 viewers through nginx, two instances\n\n");
        md.append("Command: `scripts/bench.sh soak-cluster` (").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append("). The cluster harness (`scripts/cluster.sh`): "
                        + "nginx with `deploy/nginx/cns-gateway.conf`, two instances, one PostgreSQL and the simulator ("
                        + CAMERAS + " cameras, 320×180, no simulated latency), each a process of its own on these two "
                        + "cores, the load driver too. For ").append(minutes).append(" minutes: ").append(VIEWERS_1X)
                .append(" viewers at 1x, each at a moment no other viewer plays (moving to another only if its "
                        + "recording ends), and ").append(VIEWERS_OTHER).append(" at other speeds (")
                .append(String.join(", ", SPEEDS)).append("), each moving to a random moment and speed every 10 "
                        + "segments; all started within 22 s, all through nginx with signed URLs, paced like players "
                        + "with a 12 s buffer. Every 30 s, per instance: JVM threads, resident memory, heap after a GC "
                        + "(`jcmd GC.run`, then the heap in use), open sockets, GStreamer pipelines alive (an instant's "
                        + "count), and what resident memory holds besides: the heap the JVM committed (up to "
                        + "`-Xmx768m`) and the segment cache (off the heap, bounded by `CACHE_SIZE_MB`, 256). Plot: [bench/results/soak-cluster.svg](bench/results/soak-cluster.svg).\n\n");
        md.append("![threads, RSS, heap after GC, sockets and GStreamer pipelines of both instances over the soak]"
                + "(bench/results/soak-cluster.svg)\n\n");
        md.append("| at | segments | late |");
        for (int i = 1; i <= 2; i++) {
            for (String c : COLUMNS) {
                md.append(" ").append(i).append(": ").append(c).append(" |");
            }
        }
        md.append("\n|").append("---|".repeat(3 + 2 * COLUMNS.length)).append("\n");
        for (Sample s : samples) {
            md.append("| ").append(s.at() < 0 ? "after, idle" : s.at() + " s").append(" | ").append(s.segments())
                    .append(" | ").append(s.late()).append(" |");
            for (long[] inst : s.instances()) {
                for (long v : inst) {
                    md.append(" ").append(v).append(" |");
                }
            }
            md.append("\n");
        }
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 2);
        md.append(String.format(Locale.ROOT, "%n- %d segments fetched, **%d late** (after playback reached them), "
                + "%d viewer errors, %d moves to a new moment (a speed viewer's every 10 segments, a 1x viewer's at the end of its recording); nginx cache hit ratio on segments %.2f (distinct "
                + "moments: little to share).%n", segments, late, errors, moves, hitRatio));
        for (int i = 0; i < first.instances().length; i++) {
            long[] a = first.instances()[i];
            long[] b = last.instances()[i];
            md.append(String.format(Locale.ROOT, "- Instance %d, first sample to last under load: threads %+d, RSS "
                    + "%+d MiB, heap after GC %+d MiB, sockets %+d, heap committed %+d MiB, segment cache %+d MiB.%n",
                    i + 1, b[0] - a[0], b[1] - a[1], b[2] - a[2], b[3] - a[3], b[5] - a[5], b[6] - a[6]));
        }
        errorSamples.forEach(e -> md.append("- error: ").append(e).append("\n"));
        return md.toString();
    }

    /** Five panels (one per column), a line per instance, seconds along x. */
    static String svg(List<Sample> samples) {
        int w = 640;
        int h = 110;
        int left = 60;
        String[] colours = {"#1f77b4", "#ff7f0e"};
        long maxT = Math.max(1, samples.get(samples.size() - 1).at());
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n", w, h * COLUMNS.length + 30));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (int c = 0; c < COLUMNS.length; c++) {
            int top = c * h + 10;
            int plotH = h - 35;
            long max = 1;
            for (Sample x : samples) {
                for (long[] inst : x.instances()) {
                    max = Math.max(max, inst[c]);
                }
            }
            long yMax = Math.round(max * 1.2) + 1;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", left, top + 10,
                    COLUMNS[c]));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n", left,
                    top + 15 + plotH, w - 20, top + 15 + plotH));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>%n", left - 5,
                    top + 20, yMax));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n", left - 5,
                    top + 15 + plotH));
            for (int i = 0; i < 2; i++) {
                StringBuilder points = new StringBuilder();
                for (Sample x : samples) {
                    double px = left + (double) x.at() / maxT * (w - 20 - left);
                    double py = top + 15 + plotH - (double) x.instances()[i][c] / yMax * plotH;
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                }
                s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                        + "points=\"%s\"/>%n", colours[i], points.toString().trim()));
            }
        }
        int y = h * COLUMNS.length + 15;
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">seconds 0 to %d</text>%n", left, y, maxT));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">instance 1</text>%n", left + 200, y,
                colours[0]));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">instance 2</text>%n", left + 300, y,
                colours[1]));
        return s.append("</svg>\n").toString();
    }
}
