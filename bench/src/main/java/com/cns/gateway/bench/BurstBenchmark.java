package com.cns.gateway.bench;

import com.cns.gateway.bench.PlaybackBenchmark.Entry;
import com.cns.gateway.bench.PlaybackBenchmark.Moment;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * BurstBenchmark: three rounds of 200 viewers opening 200 distinct new moments within 10 s (one every 50 ms), each then
 * plays 10 segments paced like a player with a 12 s buffer; it reports the time each waited for its
 * first segment (playlist request to the first segment's last byte) and the segments that came after
 * playback reached them. Embedded defaults (the simulator in the same JVM, no simulated latency), as
 * the figures were taken; the load driver shares the gateway's JVM and cores.
 */
final class BurstBenchmark {
    static final int VIEWERS = 200;
    static final int SEGMENTS = 10;
    static final long SPREAD_MS = 10_000;
    static final int ROUNDS = 3;
    /** Moments on one camera lie this far apart (recording time). */
    static final long APART_MS = 120_000;
    private static final AtomicInteger retries = new AtomicInteger();
    private static volatile long BURST_T0;
    /** Viewers that waited past the aim, the first ten of them told on stderr (playlist or segment?). */
    private static final AtomicInteger slowShown = new AtomicInteger();

    private BurstBenchmark() {
    }

    static void run(Path benchmarksFile) throws Exception {
        StringBuilder md = new StringBuilder();
        // The gateway's playback settings may be tried from the environment (PLAYBACK_*, MILESTONE_IMAGESERVER_*).
        Map<String, String> tried = new java.util.TreeMap<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("PLAYBACK_") || k.startsWith("MILESTONE_IMAGESERVER_")) {
                tried.put(k, v);
            }
        });
        try (BenchEnvironment env = new BenchEnvironment(120, 0, tried)) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(32)).build();
            String base = "http://127.0.0.1:" + env.port;
            List<Moment> moments = apart(env, PlaybackBenchmark.importedFixedCameras(env, http, base),
                    ROUNDS * VIEWERS + 20);
            // JIT warm-up on 20 other moments, one at a time, as a gateway that has run for a while.
            for (Moment m : moments.subList(ROUNDS * VIEWERS, ROUNDS * VIEWERS + 20)) {
                PlaybackBenchmark.timeToFirstSegment(http, base, m, "1", new Latencies());
            }
            md.append("## Burst: 200 new viewers within 10 s\n\n");
            md.append("Command: `scripts/bench.sh burst` (").append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                    .append(System.getProperty("java.version")).append("). ").append(ROUNDS).append(" rounds, each of ")
                    .append(VIEWERS).append(" viewers opening distinct new moments within ").append(SPREAD_MS / 1000)
                    .append(" s (one every ").append(SPREAD_MS / VIEWERS).append(" ms), each then playing ").append(SEGMENTS)
                    .append(" segments at 1x paced like a player with a 12 s buffer (a 503 is retried after its "
                            + "Retry-After, as players do, the wait counted); every round at moments no round played. "
                            + "Embedded defaults (simulator in the same JVM, no simulated latency), the load driver in the "
                            + "gateway's JVM").append(tried.isEmpty() ? "" : "; set: " + tried).append(".\n\n");
            md.append("| round: time to first segment (playlist request to its first segment) | p50 | p95 | max | count |\n"
                    + "| --- | --- | --- | --- | --- |\n");
            StringBuilder notes = new StringBuilder();
            for (int round = 0; round < ROUNDS; round++) {
                Latencies first = new Latencies();
                AtomicInteger late = new AtomicInteger();
                AtomicInteger fetched = new AtomicInteger();
                AtomicInteger errors = new AtomicInteger();
                retries.set(0);
                burst(http, base, moments.subList(round * VIEWERS, (round + 1) * VIEWERS), first, late, fetched, errors);
                md.append(PlaybackBenchmark.row(String.valueOf(round + 1), first));
                notes.append(String.format(Locale.ROOT, "- round %d: %d segments fetched, **%d late** (after playback "
                        + "reached them), %d viewers failed, %d playlist requests answered 503 (at capacity) and retried.%n",
                        round + 1, fetched.get(), late.get(), errors.get(), retries.get()));
                Thread.sleep(5000); // the rounds' playing viewers are gone; let the last productions drain
            }
            md.append("\n").append(notes).append("\nEvery round's moments are at windows no viewer played (two "
                    + "minutes apart on a camera). Round 1 is the issue's case, a gateway that never served these hours: "
                    + "besides each window it reads each camera-hour's sequences from XProtect (SOAP `SequencesGet`), "
                    + "cold; rounds 2 and 3 find those in the recording index, as a gateway that has run for a while "
                    + "does. Aim: p95 under 2 s.\n");
        }
        BenchmarksFile.write(benchmarksFile, "burst", md.toString());
        System.out.println(md);
    }

    /**
     * {@code n} moments in recorded runs of the plain cameras, at least {@link #APART_MS} apart on each
     * camera, shuffled: no two viewers, in any round, share a window (each plays 40 s and prefetches 12 s
     * more), so every first segment is produced, none found cached.
     */
    static List<Moment> apart(BenchEnvironment env, List<String[]> cameras, int n) {
        List<Moment> out = new ArrayList<>();
        Instant now = Instant.now();
        for (String[] c : cameras) {
            for (com.cns.xprotect.simulator.RecordedSpan span : env.simulator.history().spans(c[1],
                    now.minus(java.time.Duration.ofHours(46)), now.minus(java.time.Duration.ofHours(2)))) {
                for (long t = span.begin().toEpochMilli() + 10_000; t + APART_MS < span.end().toEpochMilli(); t += APART_MS) {
                    out.add(new Moment(c[0], Instant.ofEpochMilli(t)));
                }
            }
        }
        java.util.Collections.shuffle(out, new Random(23));
        if (out.size() < n) {
            throw new IllegalStateException("only " + out.size() + " moments apart, " + n + " needed");
        }
        return out.subList(0, n);
    }

    /** One burst: the viewers start one every SPREAD_MS / VIEWERS ms and play; returns when all have played. */
    private static void burst(HttpClient http, String base, List<Moment> moments, Latencies first, AtomicInteger late,
                              AtomicInteger fetched, AtomicInteger errors) {
        ExecutorService pool = Executors.newFixedThreadPool(moments.size());
        List<CompletableFuture<Void>> all = new ArrayList<>();
        long t0 = System.nanoTime();
        BURST_T0 = t0;
        for (int i = 0; i < moments.size(); i++) {
            Moment m = moments.get(i);
            long startAt = t0 + i * (SPREAD_MS / VIEWERS) * 1_000_000;
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    long wait = startAt - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000);
                    }
                    play(http, base, m, first, late, fetched);
                } catch (Exception e) {
                    if (errors.incrementAndGet() <= 3) {
                        System.err.println("BurstBenchmark: a viewer failed: " + e);
                    }
                }
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        pool.shutdown();
    }

    private static void play(HttpClient http, String base, Moment m, Latencies first, AtomicInteger late,
                             AtomicInteger fetched) throws Exception {
        long t0 = System.nanoTime();
        String url = PlaybackBenchmark.streamUrl(base, m, "1");
        // As a player does: a 503 (playback at capacity) is retried after its Retry-After, a few times.
        var answer = TimelineLoadBenchmark.send(http, "GET", url, null);
        for (int retry = 0; answer.statusCode() == 503 && retry < 5; retry++) {
            retries.incrementAndGet();
            Thread.sleep(1000L * Long.parseLong(answer.headers().firstValue("Retry-After").orElse("1")));
            answer = TimelineLoadBenchmark.send(http, "GET", url, null);
        }
        List<Entry> entries = PlaybackBenchmark.entries(answer.body());
        long playlistMs = (System.nanoTime() - t0) / 1_000_000;
        long playStart = -1;
        long buffered = 0;
        for (int i = 0; i < SEGMENTS; i++) {
            while (i >= entries.size()) {
                Thread.sleep(500);
                entries = PlaybackBenchmark.entries(TimelineLoadBenchmark.send(http, "GET", url, null).body());
            }
            PlaybackBenchmark.get(http, base + "/api/v1/cameras/" + m.camera() + "/playback/" + entries.get(i).uri());
            long now = System.nanoTime();
            fetched.incrementAndGet();
            if (playStart < 0) {
                playStart = now;
                first.add(now - t0);
                if ((now - t0) / 1_000_000 > 2000 && slowShown.incrementAndGet() <= 10) {
                    System.err.println("BurstBenchmark: slow start " + m + ": playlist " + playlistMs + " ms, first segment "
                            + ((now - t0) / 1_000_000 - playlistMs) + " ms, at " + (System.nanoTime() - BURST_T0) / 1_000_000 + " ms");
                }
            }
            if (now - (playStart + buffered * 1_000_000) > 0) {
                late.incrementAndGet();
            }
            buffered += entries.get(i).durationMs();
            long ahead = playStart + (buffered - 12_000) * 1_000_000 - System.nanoTime();
            if (ahead > 0) {
                Thread.sleep(ahead / 1_000_000);
            }
        }
    }
}
