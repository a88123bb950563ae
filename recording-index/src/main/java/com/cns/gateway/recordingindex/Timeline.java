package com.cns.gateway.recordingindex;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Timeline buckets recording runs by minute, hour or day: one bucket per step, aligned to the step
 * in UTC (days in a chosen time zone), each with the recorded time inside it, the number of runs
 * touching it and its coverage fraction. Buckets are clipped to the range, so the recorded seconds
 * of all buckets add up to the query's total exactly.
 */
public final class Timeline {
    /** The step of a timeline and the longest range it serves. */
    public enum Resolution {
        MINUTE(Duration.ofDays(31)), HOUR(Duration.ofDays(366)), DAY(Duration.ofDays(5 * 366));

        public final Duration maxRange;

        Resolution(Duration maxRange) {
            this.maxRange = maxRange;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One bucket: its aligned {@code timestamp}, its part [from, to) inside the range, what of that is
     * recorded and how many runs touch it.
     */
    public record Bucket(Instant timestamp, Instant from, Instant to, Duration recorded, int runCount) {
        /** Recorded share of the bucket's part inside the range. */
        public double coverage() {
            long len = Duration.between(from, to).toMillis();
            return len == 0 ? 0 : (double) recorded.toMillis() / len;
        }
    }

    private Timeline() {
    }

    /**
     * Buckets [from, to) of {@code runs}; {@code zone} aligns day buckets (minute and hour buckets are
     * aligned in UTC, which every zone's hour boundaries agree with except half-hour zones).
     */
    public static List<Bucket> buckets(RecordingRuns runs, Resolution res, ZoneId zone) {
        Instant from = runs.from();
        Instant to = runs.to();
        List<Bucket> out = new ArrayList<>();
        Instant b = align(from, res, zone);
        int i = 0;
        List<RecordingRuns.Run> rs = runs.runs();
        while (b.isBefore(to)) {
            Instant next = step(b, res, zone);
            Instant lo = b.isBefore(from) ? from : b;
            Instant hi = next.isAfter(to) ? to : next;
            while (i < rs.size() && !rs.get(i).end().isAfter(lo)) {
                i++;
            }
            Duration recorded = Duration.ZERO;
            int count = 0;
            for (int k = i; k < rs.size() && rs.get(k).start().isBefore(hi); k++) {
                Instant a = rs.get(k).start().isBefore(lo) ? lo : rs.get(k).start();
                Instant e = rs.get(k).end().isAfter(hi) ? hi : rs.get(k).end();
                if (a.isBefore(e)) {
                    recorded = recorded.plus(Duration.between(a, e));
                    count++;
                }
            }
            out.add(new Bucket(b, lo, hi, recorded, count));
            b = next;
        }
        return out;
    }

    private static Instant align(Instant t, Resolution res, ZoneId zone) {
        return switch (res) {
            case MINUTE -> t.truncatedTo(ChronoUnit.MINUTES);
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> ZonedDateTime.ofInstant(t, zone).truncatedTo(ChronoUnit.DAYS).toInstant();
        };
    }

    private static Instant step(Instant t, Resolution res, ZoneId zone) {
        return switch (res) {
            case MINUTE -> t.plus(1, ChronoUnit.MINUTES);
            case HOUR -> t.plus(1, ChronoUnit.HOURS);
            // A calendar day: 23 or 25 hours across a daylight-saving change.
            case DAY -> ZonedDateTime.ofInstant(t, zone).plusDays(1).truncatedTo(ChronoUnit.DAYS).toInstant();
        };
    }
}
