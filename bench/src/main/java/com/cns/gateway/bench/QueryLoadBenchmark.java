package com.cns.gateway.bench;

import com.cns.gateway.testsupport.Cluster;
import com.cns.gateway.testsupport.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * QueryLoadBenchmark: 100 concurrent cold 24-hour recording queries (plan 8.3), each of its own
 * camera, against one gateway instance with the XProtect simulator in its own process (the cluster
 * harness), as the plan's load figure asks; then the same 100 again (cached). Cold: the gateway has
 * read nothing of these cameras' hours, so each query reads its hours from the recorder's
 * {@code SequencesGet}.
 */
final class QueryLoadBenchmark {
    static final int QUERIES = 100;

    private QueryLoadBenchmark() {
    }

    static void run(Path benchmarksFile) throws Exception {
        StringBuilder md = new StringBuilder();
        String classpath = classpath();
        try (Cluster cluster = Cluster.start(Path.of(System.getProperty("java.io.tmpdir")), 1, Map.of(
                "CLUSTER_SIMULATOR_ARGS", "--cameras=120", "AUTH_REQUESTS_PER_MINUTE", "10000000"), classpath)) {
            Http gw = cluster.gateway(1);
            JsonObject job = gw.post("/api/v1/milestone/sync-all", "{\"autoImport\":true}").json();
            for (int i = 0; i < 600 && "in_progress".equals(gw.get("/api/v1/milestone/sync-jobs/"
                    + job.getString("syncJobId")).json().getString("status")); i++) {
                Thread.sleep(100);
            }
            JsonArray cameras = gw.get("/api/v1/cameras?limit=200").json().getJsonArray("cameras");
            List<String> ids = cameras.stream().map(o -> ((JsonObject) o).getString("id")).limit(QUERIES).toList();
            Instant now = Instant.now();
            String body = new JsonObject().put("startTime", now.minus(Duration.ofHours(24)).toString())
                    .put("endTime", now.toString()).encode();
            Latencies cold = wave(gw, ids, body);
            Latencies warm = wave(gw, ids, body);
            md.append("## Queries: 100 concurrent 24-hour recording queries, simulator in its own process\n\n");
            md.append("Command: `scripts/bench.sh queries` (").append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                    .append(System.getProperty("java.version")).append("). The cluster harness with one instance: the "
                            + "simulator (120 cameras), PostgreSQL and the gateway each a process of its own, the load "
                            + "from this JVM. 100 queries (`POST /recordings/query`, the last 24 h) at once, each of "
                            + "another camera: cold (every hour block read from the recorder, by an instance just "
                            + "started: its JIT is cold too), then the same again (cached: every block in memory).\n\n");
            md.append("| measure | p50 | p95 | max | count |\n| --- | --- | --- | --- | --- |\n");
            md.append(PlaybackBenchmark.row("100 concurrent cold 24 h queries", cold));
            md.append(PlaybackBenchmark.row("the same 100 again, cached", warm));
            md.append(String.format(Locale.ROOT, "%nAim (the plan's timeline answers under 500 ms): p99 under 500 ms "
                    + "cold; the max above is the p100 of 100.%n"));
        }
        BenchmarksFile.write(benchmarksFile, "queries", md.toString());
        System.out.println(md);
    }

    private static Latencies wave(Http gw, List<String> ids, String body) throws Exception {
        Latencies out = new Latencies();
        ExecutorService pool = Executors.newFixedThreadPool(ids.size());
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String id : ids) {
            all.add(CompletableFuture.runAsync(() -> {
                long t0 = System.nanoTime();
                try {
                    if (gw.post("/api/v1/cameras/" + id + "/recordings/query", body).status() == 200) {
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
    private static String classpath() {
        if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader u) {
            return Arrays.stream(u.getURLs()).map(url -> Path.of(java.net.URI.create(url.toString())).toString())
                    .collect(Collectors.joining(java.io.File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }
}
