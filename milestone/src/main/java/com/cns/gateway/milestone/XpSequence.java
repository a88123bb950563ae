package com.cns.gateway.milestone;

import java.time.Instant;

/**
 * XpSequence is one recording sequence as RecorderCommandService's {@code SequencesGet} answers it:
 * {@code TimeBegin}, {@code TimeTrigged} and {@code TimeEnd}.
 */
public record XpSequence(Instant begin, Instant trigged, Instant end) {
    public XpSequence {
        if (end.isBefore(begin)) {
            throw new IllegalArgumentException("sequence ends before it begins: " + begin + " > " + end);
        }
    }
}
