package com.cns.gateway.recordingindex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cns.gateway.milestone.XpSequence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordingRunsTest {
    private static final Instant T0 = Instant.parse("2025-10-27T10:00:00Z");

    private static XpSequence seq(long fromS, long toS) {
        return new XpSequence(T0.plusSeconds(fromS), T0.plusSeconds(fromS), T0.plusSeconds(toS));
    }

    @Test
    void sequencesCloserThanToleranceMergeAndOthersLeaveGaps() {
        RecordingRuns r = RecordingRuns.of(List.of(seq(0, 100), seq(100, 200), seq(250, 300)),
                T0, T0.plusSeconds(400), Duration.ofSeconds(1));
        assertEquals(2, r.runs().size());
        assertEquals(Duration.ofSeconds(250), r.recorded());
        assertEquals(List.of(new RecordingRuns.Span(T0.plusSeconds(200), T0.plusSeconds(250)),
                new RecordingRuns.Span(T0.plusSeconds(300), T0.plusSeconds(400))), r.gaps());
        assertEquals(0.625, r.coverage(), 1e-9);
    }

    @Test
    void sequenceStraddlingTheRangeStartIsClipped() {
        RecordingRuns r = RecordingRuns.of(List.of(seq(-50, 30)), T0, T0.plusSeconds(60), Duration.ofSeconds(1));
        assertEquals(T0, r.runs().get(0).start());
        assertEquals(T0.minusSeconds(50), r.runs().get(0).whole().start(), "the whole run keeps its real start");
        assertEquals(Duration.ofSeconds(30), r.recorded());
    }

    @Test
    void recordedPlusMissingIsTheRangeForRandomInput() {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            List<XpSequence> seqs = new ArrayList<>();
            long t = -random.nextInt(1000);
            for (int k = 0; k < 20; k++) {
                long len = random.nextInt(600);
                seqs.add(seq(t, t + len));
                t += len + random.nextInt(5) - 1;
            }
            Instant from = T0.plusSeconds(random.nextInt(2000));
            Instant to = from.plusSeconds(random.nextInt(4000));
            RecordingRuns r = RecordingRuns.of(seqs, from, to, Duration.ofMillis(1000));
            assertEquals(Duration.between(from, to), r.recorded().plus(r.missing()));
        }
    }
}
