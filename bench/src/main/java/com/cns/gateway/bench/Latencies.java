package com.cns.gateway.bench;

import java.util.Arrays;

/** Latencies collects request latencies of a benchmark phase and summarises them. */
final class Latencies {
    private long[] nanos = new long[1024];
    private int n;
    private int errors;

    synchronized void add(long ns) {
        if (n == nanos.length) {
            nanos = Arrays.copyOf(nanos, n * 2);
        }
        nanos[n++] = ns;
    }

    synchronized void error() {
        errors++;
    }

    synchronized int count() {
        return n;
    }

    synchronized int errors() {
        return errors;
    }

    synchronized double percentileMs(double p) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, i))] / 1e6;
    }
}
