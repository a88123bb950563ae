package com.cns.xprotect.simulator;

import java.time.Instant;

/** RecordedSpan is a span of recorded video [begin, end): a recording sequence as a recorder keeps it. */
public record RecordedSpan(Instant begin, Instant end) {
}
