package com.cns.gateway.recordingindex;

import com.cns.gateway.milestone.XpSequence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * RecordingRuns is what is recorded over a range: XProtect's sequences merged into runs wherever
 * they overlap or lie closer than the gap tolerance, clipped to the range, with the gaps between
 * them. The same tolerance serves the query, the timeline and playlists, so their numbers agree:
 * recorded + gap = range length, always.
 */
public final class RecordingRuns {
    /** A span of time [start, end). */
    public record Span(Instant start, Instant end) {
        public Duration length() {
            return Duration.between(start, end);
        }
    }

    /**
     * A run clipped to the range, and the whole merged run it was clipped from (whose start names it
     * stably, whatever range it is seen through).
     */
    public record Run(Instant start, Instant end, Span whole) {
        public Duration length() {
            return Duration.between(start, end);
        }
    }

    private final Instant from;
    private final Instant to;
    private final List<Run> runs;
    private final List<Span> gaps;

    private RecordingRuns(Instant from, Instant to, List<Run> runs, List<Span> gaps) {
        this.from = from;
        this.to = to;
        this.runs = runs;
        this.gaps = gaps;
    }

    /**
     * Merges {@code sequences} (any order, may overlap or extend past the range) into runs within
     * [from, to).
     */
    public static RecordingRuns of(List<XpSequence> sequences, Instant from, Instant to, Duration gapTolerance) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("range ends before it starts");
        }
        List<XpSequence> sorted = new ArrayList<>(sequences);
        sorted.sort(Comparator.comparing(XpSequence::begin));
        List<Span> merged = new ArrayList<>();
        for (XpSequence s : sorted) {
            if (merged.isEmpty()) {
                merged.add(new Span(s.begin(), s.end()));
                continue;
            }
            Span last = merged.get(merged.size() - 1);
            if (!s.begin().isAfter(last.end().plus(gapTolerance))) {
                if (s.end().isAfter(last.end())) {
                    merged.set(merged.size() - 1, new Span(last.start(), s.end()));
                }
            } else {
                merged.add(new Span(s.begin(), s.end()));
            }
        }
        List<Run> runs = new ArrayList<>();
        for (Span m : merged) {
            Instant a = m.start().isBefore(from) ? from : m.start();
            Instant b = m.end().isAfter(to) ? to : m.end();
            if (a.isBefore(b)) {
                runs.add(new Run(a, b, m));
            }
        }
        List<Span> gaps = new ArrayList<>();
        Instant cursor = from;
        for (Run r : runs) {
            if (r.start().isAfter(cursor)) {
                gaps.add(new Span(cursor, r.start()));
            }
            cursor = r.end();
        }
        if (cursor.isBefore(to)) {
            gaps.add(new Span(cursor, to));
        }
        return new RecordingRuns(from, to, List.copyOf(runs), List.copyOf(gaps));
    }

    public Instant from() {
        return from;
    }

    public Instant to() {
        return to;
    }

    public List<Run> runs() {
        return runs;
    }

    public List<Span> gaps() {
        return gaps;
    }

    public Duration recorded() {
        return runs.stream().map(Run::length).reduce(Duration.ZERO, Duration::plus);
    }

    public Duration missing() {
        return gaps.stream().map(Span::length).reduce(Duration.ZERO, Duration::plus);
    }

    /** Recorded time over the range length, 0 for an empty range. */
    public double coverage() {
        long range = Duration.between(from, to).toMillis();
        return range == 0 ? 0 : (double) recorded().toMillis() / range;
    }
}
