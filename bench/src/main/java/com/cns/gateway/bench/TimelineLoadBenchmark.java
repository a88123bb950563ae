package com.cns.gateway.bench;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * TimelineLoadBenchmark drives 100 concurrent dashboard clients, each asking a 24-hour minute
 * timeline of its own camera with a range relative to now that slides as time passes: cold (nothing
 * cached, every block read from the simulated recorders, 5 ms one-way latency), then warm at one
 * request per client per second (what a dashboard refreshing every second sends), then warm as fast
 * as the clients can go (throughput). The load driver runs in the gateway's JVM, sharing its 2 cores.
 */
final class TimelineLoadBenchmark {
    private static final int CLIENTS = 100;

    private TimelineLoadBenchmark() {
    }

    static void run(Path benchmarksFile, int warmSeconds) throws Exception {
        try (BenchEnvironment env = new BenchEnvironment(120, 5, Map.of())) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
            String base = "http://127.0.0.1:" + env.port;
            JsonObject job = new JsonObject(send(http, "POST", base + "/api/v1/milestone/sync-all",
                    "{\"autoImport\":true}").body());
            waitForJob(http, base, job.getString("syncJobId"));
            List<String> cameras = new ArrayList<>();
            new JsonObject(send(http, "GET", base + "/api/v1/cameras?limit=" + (CLIENTS + 10), null).body())
                    .getJsonArray("cameras").forEach(o -> cameras.add(((JsonObject) o).getString("id")));
            if (cameras.size() < CLIENTS + 10) {
                throw new IllegalStateException("only " + cameras.size() + " cameras imported");
            }
            Latencies alone = new Latencies();
            for (String camera : cameras.subList(CLIENTS, CLIENTS + 10)) {
                Instant now = Instant.now();
                long start = System.nanoTime();
                int status = send(http, "GET", base + "/api/v1/cameras/" + camera + "/recordings/timeline?resolution="
                        + "minute&startTime=" + now.minus(Duration.ofHours(24)) + "&endTime=" + now, null).statusCode();
                if (status == 200) {
                    alone.add(System.nanoTime() - start);
                } else {
                    alone.error();
                }
            }
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);

            Latencies cold = new Latencies();
            long t0 = System.nanoTime();
            phase(clients, http, base, cameras, cold, 1, Duration.ZERO, Duration.ofMinutes(5));
            double coldSeconds = (System.nanoTime() - t0) / 1e9;

            // Warm-up (discarded): lets the JIT compile the hot paths, as JMH's warm-up iterations do.
            phase(clients, http, base, cameras, new Latencies(), 15, Duration.ofSeconds(1), Duration.ofMinutes(10));
            Latencies paced = new Latencies();
            phase(clients, http, base, cameras, paced, warmSeconds, Duration.ofSeconds(1), Duration.ofMinutes(10));

            Latencies flat = new Latencies();
            long t1 = System.nanoTime();
            phase(clients, http, base, cameras, flat, 20, Duration.ZERO, Duration.ofMinutes(10));
            double flatSeconds = (System.nanoTime() - t1) / 1e9;
            clients.shutdownNow();

            String section = "## Timeline: 100 dashboards, 24-hour minute timelines, sliding now-relative ranges\n\n"
                    + "Command: `scripts/bench.sh timeline` (" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", "
                    + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                    + "). 100 clients, each on its own camera of the simulator (120 cameras, 4 recorders, 5 ms one-way "
                    + "latency on recorder calls), ask `GET /api/v1/cameras/{id}/recordings/timeline?resolution=minute` "
                    + "for [now − 24 h, now) with the current now; 1441 buckets per answer (~160 kB of JSON). The load "
                    + "driver shares the gateway's JVM and its 2 cores. The warm phases follow 15 s of the paced load "
                    + "as warm-up (not counted). Plan goal: under 500 ms; aim: p99 under 50 ms warm.\n\n"
                    + "| phase | requests | errors | p50 ms | p99 ms | max ms | throughput req/s |\n"
                    + "| --- | --- | --- | --- | --- | --- | --- |\n"
                    + row("cold, one request at a time (10 other cameras, nothing cached)", alone, 0)
                    + row("cold: first request of each of the 100 clients at once (25 hour blocks read from XProtect "
                            + "per camera)", cold, coldSeconds)
                    + row("warm, each client once a second for " + warmSeconds + " s (a dashboard's pace)", paced,
                            warmSeconds)
                    + row("warm, closed loop: each client as fast as it can (saturation)", flat, flatSeconds);
            BenchmarksFile.write(benchmarksFile, "timeline", section);
            System.out.println(section);
        }
    }

    private static String row(String name, Latencies l, double seconds) {
        return String.format("| %s | %d | %d | %.1f | %.1f | %.1f | %s |%n", name, l.count(), l.errors(),
                l.percentileMs(50), l.percentileMs(99), l.percentileMs(100),
                seconds > 0 ? String.format("%.0f", l.count() / seconds) : "–");
    }

    /** Each client runs {@code rounds} requests (or for {@code rounds} seconds when paced). */
    private static void phase(ExecutorService pool, HttpClient http, String base, List<String> cameras,
                              Latencies lat, int rounds, Duration pace, Duration timeout) throws Exception {
        CountDownLatch done = new CountDownLatch(CLIENTS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(rounds);
        for (int c = 0; c < CLIENTS; c++) {
            String camera = cameras.get(c);
            long offset = pace.isZero() ? 0 : pace.toMillis() * c / CLIENTS;
            pool.submit(() -> {
                try {
                    Thread.sleep(offset);
                    int i = 0;
                    while (pace.isZero() ? (rounds == 1 ? i < 1 : System.nanoTime() < deadline)
                            : System.nanoTime() < deadline) {
                        long next = System.nanoTime() + pace.toNanos();
                        Instant now = Instant.now();
                        long start = System.nanoTime();
                        HttpResponse<String> r = send(http, "GET", base + "/api/v1/cameras/" + camera
                                + "/recordings/timeline?resolution=minute&startTime=" + now.minus(Duration.ofHours(24))
                                + "&endTime=" + now, null);
                        if (r.statusCode() == 200) {
                            lat.add(System.nanoTime() - start);
                        } else {
                            lat.error();
                        }
                        i++;
                        long sleep = next - System.nanoTime();
                        if (sleep > 0) {
                            TimeUnit.NANOSECONDS.sleep(sleep);
                        }
                    }
                } catch (Exception e) {
                    lat.error();
                } finally {
                    done.countDown();
                }
            });
        }
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("phase did not finish in " + timeout);
        }
    }

    static HttpResponse<String> send(HttpClient http, String method, String url, String body) throws Exception {
        return http.send(BenchEnvironment.request(url).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void waitForJob(HttpClient http, String base, String id) throws Exception {
        for (int i = 0; i < 600; i++) {
            JsonObject j = new JsonObject(send(http, "GET", base + "/api/v1/milestone/sync-jobs/" + id, null).body());
            if (!"in_progress".equals(j.getString("status"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("sync job did not finish");
    }
}
