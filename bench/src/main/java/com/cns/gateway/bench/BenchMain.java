package com.cns.gateway.bench;

import java.nio.file.Path;

/** BenchMain runs the benchmark named by its first argument and writes its section of BENCHMARKS.md. */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "";
        Path file = Path.of(args.length > 1 ? args[1] : "BENCHMARKS.md");
        try {
            run(name, file);
        } catch (Throwable e) {
            // exec:java waits for every non-daemon thread before it reports a failure: say it and stop.
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static int soakMinutes() {
        return Integer.parseInt(System.getenv().getOrDefault("SOAK_MINUTES", "10"));
    }

    private static void run(String name, Path file) throws Exception {
        switch (name) {
            case "timeline" -> TimelineLoadBenchmark.run(file, 30);
            case "playback" -> PlaybackBenchmark.run(file);
            case "speed" -> SpeedBenchmark.run(file);
            case "burst" -> BurstBenchmark.run(file);
            case "queries" -> QueryLoadBenchmark.run(file);
            case "soak" -> SoakBenchmark.run(file, soakMinutes());
            case "soak-cluster" -> ClusterSoakBenchmark.run(file, soakMinutes());
            case "export" -> ExportBenchmark.run(file);
            default -> {
                System.err.println("Usage: scripts/bench.sh timeline|playback|speed|burst|queries|soak|soak-cluster|export (SOAK_MINUTES, default 10)");
                System.exit(2);
            }
        }
    }
}
