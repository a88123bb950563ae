package com.cns.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * BenchmarksFile writes one benchmark's section of BENCHMARKS.md, between its markers, leaving the
 * other sections as they are.
 */
final class BenchmarksFile {
    private BenchmarksFile() {
    }

    static void write(Path file, String name, String section) throws IOException {
        String begin = "<!-- " + name + ":begin -->";
        String end = "<!-- " + name + ":end -->";
        String text = Files.exists(file) ? Files.readString(file)
                : "# Benchmarks\n\nEach section is written by the benchmark it names (`scripts/bench.sh NAME`), "
                        + "with the command that produced it.\n";
        String block = begin + "\n" + section.strip() + "\n" + end;
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        text = b >= 0 && e > b ? text.substring(0, b) + block + text.substring(e + end.length())
                : text.stripTrailing() + "\n\n" + block + "\n";
        Files.writeString(file, text);
    }
}
