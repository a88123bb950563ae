package com.cns.gateway.bench;

import com.cns.gateway.testsupport.Cluster;
import com.cns.gateway.testsupport.Http;
import io.vertx.core.json.JsonObject;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * QueryLoadBenchmark: the loads the plan names, against one gateway instance with the XProtect
 * simulator in its own process (the cluster harness): 100 concurrent cold 24-hour recording queries
 * (plan 8.3), each of its own camera, then the same 100 again (cached); 50 simultaneous playback
 * sessions; 20 concurrent recording starts and their stops. Cold: the gateway has read nothing of
 * these cameras' hours, so each query reads them from the recorder.
 */
final class QueryLoadBenchmark {
    static final int QUERIES = 100;
    static final int CAMERAS = 120;
    /** Days of the 20 other cameras queried before, each a cold wave of its own. */
    static final int WARM_UP_DAYS = 20;
    static final int SESSIONS = 50;
    static final int RECORDINGS = 20;
    /** Playback sessions on other cameras before the measured ones, as warm-up of the playback path. */
    static final int WARM_UP_SESSIONS = 20;

    private QueryLoadBenchmark() {
    }

    static void run(Path benchmarksFile) throws Exception {
        StringBuilder md = new StringBuilder();
        String classpath = classpath();
        try (Cluster cluster = Cluster.start(Path.of(System.getProperty("java.io.tmpdir")), 1, Map.of(
                "CLUSTER_SIMULATOR_ARGS", "--cameras=" + CAMERAS, "AUTH_REQUESTS_PER_MINUTE", "10000000"), classpath)) {
            Http gw = cluster.gateway(1);
            JsonObject job = gw.post("/api/v1/milestone/sync-all", "{\"autoImport\":true}").json();
            for (int i = 0; i < 600 && "in_progress".equals(gw.get("/api/v1/milestone/sync-jobs/"
                    + job.getString("syncJobId")).json().getString("status")); i++) {
                Thread.sleep(100);
            }
            List<JsonObject> cameras = gw.get("/api/v1/cameras?limit=200").json().getJsonArray("cameras").stream()
                    .map(JsonObject.class::cast).toList();
            List<String> all = cameras.stream().map(c -> c.getString("id")).toList();
            List<String> ids = all.subList(0, QUERIES);
            Instant now = Instant.now();
            // JIT warm-up on the other cameras, so that the cold wave measures cold data, not a cold JVM.
            List<String> others = all.subList(QUERIES, all.size());
            for (int day = 1; day <= WARM_UP_DAYS; day++) {
                wave(gw, others, range(now.minus(Duration.ofHours(24L * (day + 1))), now.minus(Duration.ofHours(24L * day))));
            }
            String body = range(now.minus(Duration.ofHours(24)), now);
            Latencies cold = wave(gw, ids, body);
            Latencies warm = wave(gw, ids, body);

            List<ClusterSoakBenchmark.Moment> moments = ClusterSoakBenchmark.moments(gw, CAMERAS);
            List<ClusterSoakBenchmark.Moment> measured = moments.subList(0, SESSIONS);
            // JIT warm-up of the playback path too, on cameras the measured sessions do not play.
            Set<String> played = measured.stream().map(ClusterSoakBenchmark.Moment::camera)
                    .collect(Collectors.toSet());
            sessions(gw, moments.subList(SESSIONS, moments.size()).stream().filter(m -> !played.contains(m.camera()))
                    .limit(WARM_UP_SESSIONS).toList());
            Sessions s = sessions(gw, measured);

            Starts starts = recordingStarts(cluster, gw, cameras);

            md.append("## Load the plan names: queries, playback sessions, recording starts\n\n");
            md.append("Command: `scripts/bench.sh queries` (").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                    .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                    .append(System.getProperty("java.version")).append("). The cluster harness with one instance: the "
                            + "simulator (" + CAMERAS + " cameras, no simulated latency), PostgreSQL and the gateway "
                            + "each a process of its own, the load from this JVM, all on these cores.\n\n"
                            + "- **Queries**: 100 at once (`POST /recordings/query`, the last 24 h), each of another "
                            + "camera: cold (nothing of these cameras read before: every hour block, the retention "
                            + "limit and the camera row come from the recorder and PostgreSQL), then the same again "
                            + "(cached: every block in memory). Before them, as warm-up of both JVMs (the gateway and "
                            + "the simulator were just started), the " + (CAMERAS - QUERIES) + " other cameras answered "
                            + WARM_UP_DAYS + " cold waves of other days.\n"
                            + "- **Playback sessions**: " + SESSIONS + " at once, each at its own moment (control "
                            + "`play`, then the signed playlist and 10 segments at 1x, paced like a player with a 12 s "
                            + "buffer); times from the control call to the playlist's answer and to the first segment's last byte. "
                            + "Before them, as warm-up of the playback path, " + WARM_UP_SESSIONS + " sessions the same "
                            + "way on cameras the measured ones do not play.\n"
                            + "- **Recording starts**: " + RECORDINGS + " cameras started at once (`POST "
                            + "/recordings/start`, 60 s), then all stopped at once; each answer's time.\n\n");
            md.append("| measure | p50 | p95 | max | count |\n| --- | --- | --- | --- | --- |\n");
            md.append(PlaybackBenchmark.row("100 concurrent cold 24 h queries", cold));
            md.append(PlaybackBenchmark.row("the same 100 again, cached", warm));
            md.append(PlaybackBenchmark.row(SESSIONS + " playback sessions: time to the playlist", s.listed()));
            md.append(PlaybackBenchmark.row(SESSIONS + " playback sessions: time to first segment", s.first()));
            md.append(PlaybackBenchmark.row(RECORDINGS + " concurrent recording starts", starts.started()));
            md.append(PlaybackBenchmark.row(RECORDINGS + " concurrent recording stops", starts.stopped()));
            md.append(String.format(Locale.ROOT, "%n- Playback: %d segments fetched, **%d late** (after playback "
                    + "reached them), %d sessions failed.%n- Recordings: %d of %d recording at XProtect after the "
                    + "starts (the simulator's own state), %d after the stops; %d answers other than 200.%n",
                    s.segments(), s.late(), s.failed(), starts.atXProtectAfterStart(), RECORDINGS,
                    starts.atXProtectAfterStop(), starts.started().errors() + starts.stopped().errors()));
            md.append("\nAim (the plan's timeline answers under 500 ms): p99 under 500 ms cold; the max above is the "
                    + "p100 of 100.\n");
        }
        BenchmarksFile.write(benchmarksFile, "queries", md.toString());
        System.out.println(md);
    }

    private record Sessions(Latencies listed, Latencies first, int segments, int late, int failed) {
    }

    /** One player per moment, all at once, each playing 10 segments at 1x; times as {@link ClusterSoakBenchmark#play}'s. */
    private static Sessions sessions(Http gw, List<ClusterSoakBenchmark.Moment> moments) {
        Latencies listed = new Latencies();
        Latencies first = new Latencies();
        AtomicInteger segments = new AtomicInteger();
        AtomicInteger late = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService players = Executors.newFixedThreadPool(moments.size());
        List<CompletableFuture<Void>> playing = new ArrayList<>();
        for (ClusterSoakBenchmark.Moment m : moments) {
            playing.add(CompletableFuture.runAsync(() -> {
                try {
                    ClusterSoakBenchmark.play(gw, m, "1", 10, new AtomicBoolean(), segments, late, listed, first);
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
            }, players));
        }
        CompletableFuture.allOf(playing.toArray(CompletableFuture[]::new)).join();
        players.shutdown();
        return new Sessions(listed, first, segments.get(), late.get(), failed.get());
    }

    private static String range(Instant from, Instant to) {
        return new JsonObject().put("startTime", from.toString()).put("endTime", to.toString()).encode();
    }

    private record Starts(Latencies started, int atXProtectAfterStart, Latencies stopped, int atXProtectAfterStop) {
    }

    /** {@link #RECORDINGS} online cameras started at once, checked at the simulator, then stopped at once. */
    private static Starts recordingStarts(Cluster cluster, Http gw, List<JsonObject> cameras) throws Exception {
        List<JsonObject> chosen = cameras.stream().filter(c -> "ONLINE".equals(c.getString("status")))
                .limit(RECORDINGS).toList();
        Latencies started = posts(gw, paths(chosen, "start"), "{\"duration\":60}");
        int on = atXProtect(cluster, chosen);
        Latencies stopped = posts(gw, paths(chosen, "stop"), "{}");
        return new Starts(started, on, stopped, atXProtect(cluster, chosen));
    }

    private static List<String> paths(List<JsonObject> cameras, String action) {
        return cameras.stream().map(c -> "/api/v1/cameras/" + c.getString("id") + "/recordings/" + action).toList();
    }

    private static int atXProtect(Cluster cluster, List<JsonObject> cameras) throws Exception {
        int on = 0;
        for (JsonObject c : cameras) {
            if (cluster.simulator.get("/simulator/cameras/" + c.getString("milestone_device_id") + "/manual-recording")
                    .json().getBoolean("isManualRecording")) {
                on++;
            }
        }
        return on;
    }

    private static Latencies wave(Http gw, List<String> ids, String body) {
        return posts(gw, ids.stream().map(id -> "/api/v1/cameras/" + id + "/recordings/query").toList(), body);
    }

    /** The same POST body to every path at once, each answer's time counted if it is 200. */
    private static Latencies posts(Http gw, List<String> paths, String body) {
        Latencies out = new Latencies();
        ExecutorService pool = Executors.newFixedThreadPool(paths.size());
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String path : paths) {
            all.add(CompletableFuture.runAsync(() -> {
                long t0 = System.nanoTime();
                try {
                    if (gw.post(path, body).status() == 200) {
                        out.add(System.nanoTime() - t0);
                        return;
                    }
                } catch (Exception e) {
                    // counted below
                }
                out.error();
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        pool.shutdown();
        return out;
    }

    /** This JVM's classpath as the instances need it: exec:java's class loader, not Maven's own. */
    static String classpath() {
        if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader u) {
            return Arrays.stream(u.getURLs()).map(url -> Path.of(java.net.URI.create(url.toString())).toString())
                    .collect(Collectors.joining(java.io.File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }
}
