package com.cns.gateway.recordingindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.milestone.XpSequence;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimelineTest {
    private static final Instant T0 = Instant.parse("2025-10-27T10:00:00Z");

    private static XpSequence seq(long fromS, long toS) {
        return new XpSequence(T0.plusSeconds(fromS), T0.plusSeconds(fromS), T0.plusSeconds(toS));
    }

    @Test
    void minuteBucketsAreAlignedAndClippedToTheRange() {
        RecordingRuns runs = RecordingRuns.of(List.of(seq(30, 90), seq(150, 170)), T0.plusSeconds(15),
                T0.plusSeconds(200), Duration.ofSeconds(1));
        List<Timeline.Bucket> b = Timeline.buckets(runs, Timeline.Resolution.MINUTE, ZoneOffset.UTC);
        assertEquals(4, b.size());
        assertEquals(T0, b.get(0).timestamp());
        assertEquals(T0.plusSeconds(15), b.get(0).from(), "the first bucket starts with the range");
        assertEquals(Duration.ofSeconds(30), b.get(0).recorded());
        assertEquals(30.0 / 45, b.get(0).coverage(), 1e-9);
        assertEquals(Duration.ofSeconds(30), b.get(1).recorded());
        assertEquals(0.5, b.get(1).coverage(), 1e-9);
        assertEquals(Duration.ofSeconds(20), b.get(2).recorded());
        assertEquals(1, b.get(2).runCount());
        assertEquals(T0.plusSeconds(200), b.get(3).to());
        assertFalse(b.get(3).recorded().compareTo(Duration.ZERO) > 0);
    }

    @Test
    void dayBucketsFollowTheTimeZone() {
        RecordingRuns runs = RecordingRuns.of(List.of(), Instant.parse("2025-10-26T00:00:00Z"),
                Instant.parse("2025-10-28T00:00:00Z"), Duration.ofSeconds(1));
        List<Timeline.Bucket> dubai = Timeline.buckets(runs, Timeline.Resolution.DAY, ZoneId.of("Asia/Dubai"));
        assertEquals(Instant.parse("2025-10-25T20:00:00Z"), dubai.get(0).timestamp());
        assertEquals(3, dubai.size());
    }

    @Test
    void bucketsAddUpToTheQueryForRandomRanges() {
        Random r = new Random(3);
        for (int n = 0; n < 300; n++) {
            List<XpSequence> seqs = new ArrayList<>();
            long t = -r.nextInt(5000);
            for (int k = 0; k < 30; k++) {
                long len = 1 + r.nextInt(3000);
                seqs.add(seq(t, t + len));
                t += len + r.nextInt(4000);
            }
            Instant from = T0.plusMillis(r.nextInt(10_000_000));
            Instant to = from.plusMillis(1 + r.nextInt(20_000_000));
            RecordingRuns runs = RecordingRuns.of(seqs, from, to, Duration.ofSeconds(1));
            for (Timeline.Resolution res : Timeline.Resolution.values()) {
                Duration sum = Timeline.buckets(runs, res, ZoneOffset.UTC).stream().map(Timeline.Bucket::recorded)
                        .reduce(Duration.ZERO, Duration::plus);
                assertEquals(runs.recorded(), sum, res + " buckets add up");
            }
            assertTrue(runs.coverage() <= 1.0);
        }
    }
}
