package com.cns.gateway.api.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimelineJsonTest {

    @Test
    void isoTimesMatchInstantToStringAtMillisecondPrecision() {
        TimelineJson.IsoTimes times = new TimelineJson.IsoTimes();
        Random r = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            long ms = (long) (r.nextDouble() * 4_000_000_000_000L) - 1_000_000_000_000L;
            if (i % 3 == 0) {
                ms -= Math.floorMod(ms, 60_000L);
            }
            StringBuilder sb = new StringBuilder();
            times.append(sb, ms);
            assertEquals(Instant.ofEpochMilli(ms).toString(), sb.toString());
        }
    }

    @Test
    void secondsAreWrittenPlainlyWithAtMostThreeDecimals() {
        for (long ms : new long[] {0, 1, 10, 100, 1000, 5_400_123, 60_000, 12_500}) {
            StringBuilder sb = new StringBuilder();
            TimelineJson.seconds(sb, Duration.ofMillis(ms));
            assertEquals(RecordingQueryJson.seconds(Duration.ofMillis(ms)).toString(), sb.toString());
        }
    }
}
