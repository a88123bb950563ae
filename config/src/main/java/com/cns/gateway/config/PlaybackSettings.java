package com.cns.gateway.config;

import java.time.Duration;

/**
 * PlaybackSettings shape time-addressed HLS: the segment grid, the longest GOP a playlist allows for
 * (its target duration is the grid plus that), the default and largest playlist window, when a
 * segment counts as sealed (immutable), the segment cache's size in bytes, how many segments may be
 * produced at once and how many are fetched ahead of a viewer, ImageServer's connections per
 * recording server, answer timeout and requests in flight per connection, and the fastest speed
 * played smooth (decoded and re-encoded at the output rate; faster speeds play keyframes only), and
 * the worker threads that encode segments (transcodes beyond them fall back to keyframes only).
 */
public record PlaybackSettings(
        Duration segment,
        Duration maxGop,
        Duration maxWindow,
        Duration seal,
        long cacheBytes,
        int maxProductions,
        int prefetchSegments,
        int imageServerConnections,
        Duration imageServerTimeout,
        int imageServerInFlight,
        double smoothMaxSpeed,
        int transcodeWorkers) {

    /** {@code EXT-X-TARGETDURATION}: the grid plus the longest GOP, in whole seconds. */
    public int targetDurationSeconds() {
        return (int) Math.ceil((segment.toMillis() + maxGop.toMillis()) / 1000.0);
    }
}
