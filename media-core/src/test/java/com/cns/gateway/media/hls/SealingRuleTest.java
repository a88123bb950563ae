package com.cns.gateway.media.hls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.recordingindex.KeyframeIndex;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SealingRuleTest {
    private final SealingRule rule = SealingRule.of(Duration.ofSeconds(30));

    @Test
    void mediaIsFinalOnceItEndedLongerAgoThanTheDelay() {
        assertFalse(rule.passed(1000, 31_000));
        assertTrue(rule.passed(1000, 31_001));
    }

    @Test
    void aSegmentIsSealedOnlyWhenItsBoundsAreFinalAndTheDelayPassed() {
        KeyframeIndex.Bounds b = new KeyframeIndex.Bounds(0, 4000, false, -1, 100);
        assertTrue(Segment.of(new byte[1], "\"x\"", b, true, rule).sealed(40_000));
        assertFalse(Segment.of(new byte[1], "\"x\"", b, true, rule).sealed(30_000));
        assertFalse(Segment.of(new byte[1], "\"x\"", b, false, rule).sealed(400_000), "bounds still growing");
    }
}
