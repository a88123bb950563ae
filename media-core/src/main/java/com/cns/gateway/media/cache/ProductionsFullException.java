package com.cns.gateway.media.cache;

/**
 * Every production slot is taken and the bounded queue behind them is full: the segment is not
 * produced now (503 with {@code Retry-After}), rather than queued without limit.
 */
public final class ProductionsFullException extends RuntimeException {
    public ProductionsFullException(int running, int waiting) {
        super("Playback is at capacity: " + running + " segments in production and " + waiting
                + " waiting; try again shortly");
    }
}
