package com.cns.gateway.bench;

import com.cns.gateway.bench.PlaybackBenchmark.Moment;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SoakBenchmark plays mixed speeds (smooth, keyframes only, 1x, backward and forward) for a while, each
 * viewer moving to a new moment and speed every few segments, and samples what a leak would grow:
 * live GStreamer pipelines, JVM threads, resident memory and heap after GC.
 */
final class SoakBenchmark {
    private static final List<String> SPEEDS = List.of("-8", "-2", "-1", "-0.5", "0.5", "1", "2", "4", "8");

    private SoakBenchmark() {
    }

    static void run(Path benchmarksFile, int minutes) throws Exception {
        StringBuilder rows = new StringBuilder();
        AtomicInteger plays = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<long[]> samples = new ArrayList<>();
        try (BenchEnvironment env = new BenchEnvironment(120, 5, Map.of())) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();
            String base = "http://127.0.0.1:" + env.port;
            List<Moment> moments = PlaybackBenchmark.moments(env, PlaybackBenchmark.importedFixedCameras(env, http,
                    base), new Random(31), 600);
            AtomicBoolean stop = new AtomicBoolean();
            int viewers = 8;
            ExecutorService pool = Executors.newFixedThreadPool(viewers);
            for (int v = 0; v < viewers; v++) {
                int seed = v;
                pool.submit(() -> {
                    Random r = new Random(seed);
                    while (!stop.get()) {
                        Moment m = moments.get(r.nextInt(moments.size()));
                        String speed = SPEEDS.get(r.nextInt(SPEEDS.size()));
                        PlaybackBenchmark.Viewers one = new PlaybackBenchmark.Viewers();
                        try {
                            one = PlaybackBenchmark.viewers(http, base, List.of(m), 3, speed, -1);
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        errors.addAndGet(one.errors.get());
                        plays.incrementAndGet();
                    }
                });
            }
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
            long t0 = System.nanoTime();
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(30_000, Math.max(0, (end - System.nanoTime()) / 1_000_000)));
                long heap = PlaybackBenchmark.heapAfterGc();
                long pipelines = (long) PlaybackBenchmark.gauge(http, base, "gateway_transcoder_gstreamer_pipelines");
                samples.add(new long[] {(System.nanoTime() - t0) / 1_000_000_000L,
                    ManagementFactory.getThreadMXBean().getThreadCount(), rssKib(), heap >> 20, pipelines,
                    plays.get()});
            }
            stop.set(true);
            pool.shutdown();
            pool.awaitTermination(2, TimeUnit.MINUTES);
            Thread.sleep(2000);
            long idleHeap = PlaybackBenchmark.heapAfterGc();
            samples.add(new long[] {-1, ManagementFactory.getThreadMXBean().getThreadCount(), rssKib(), idleHeap >> 20,
                (long) PlaybackBenchmark.gauge(http, base, "gateway_transcoder_gstreamer_pipelines"), plays.get()});
        }
        for (long[] s : samples) {
            rows.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d |%n",
                    s[0] < 0 ? "after, idle" : s[0] + " s", s[1], s[2] >> 10, s[3], s[4], s[5]));
        }
        long[] firstSample = samples.get(0);
        long[] lastLoaded = samples.get(samples.size() - 2);
        String md = "## Soak: mixed speeds\n\n"
                + "Command: `scripts/bench.sh soak` (" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + "). " + minutes + " minutes of 8 viewers, each playing 3 segments at a random moment and speed ("
                + String.join(", ", SPEEDS) + ") then moving on, against the simulator (320×180, 5 ms latency); the "
                + "load driver shares the gateway's JVM. Every 30 s: JVM threads, resident memory (RSS), heap after "
                + "GC, GStreamer pipelines alive (an instant's count: those of transcodes in progress).\n\n"
                + "| at | threads | RSS MiB | heap after GC MiB | GStreamer pipelines | plays |\n|---|---|---|---|---|---|\n"
                + rows
                + String.format(Locale.ROOT, "%n- %d plays, %d errors. From the first sample to the last under load: "
                        + "threads %+d, RSS %+d MiB, heap after GC %+d MiB.%n", plays.get(), errors.get(),
                        lastLoaded[1] - firstSample[1], (lastLoaded[2] - firstSample[2]) >> 10,
                        lastLoaded[3] - firstSample[3]);
        BenchmarksFile.write(benchmarksFile, "soak", md);
        System.out.println(md);
    }

    /** The process's resident set, from /proc. */
    private static long rssKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
