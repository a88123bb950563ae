package com.cns.gateway.media.hls;

import java.time.Duration;

/**
 * SealingRule says when recorded media stops changing: once what it shows ended longer ago than the
 * sealing delay ({@code PLAYBACK_SEAL_SECONDS}), late frames can no longer arrive, so segments,
 * playlists that end there and snapshots are final and may be cached for good.
 */
public record SealingRule(long delayMs) {
    public static SealingRule of(Duration delay) {
        return new SealingRule(delay.toMillis());
    }

    /** Whether media ending at {@code endMs} is final at {@code nowMs}. */
    public boolean passed(long endMs, long nowMs) {
        return endMs + delayMs < nowMs;
    }
}
