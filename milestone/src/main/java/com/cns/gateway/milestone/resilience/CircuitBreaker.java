package com.cns.gateway.milestone.resilience;

import com.cns.gateway.milestone.XProtectUnavailableException;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * CircuitBreaker stops calling XProtect after a run of consecutive failures, so that an outage
 * answers at once (503 with Retry-After) instead of tying up connections, and lets one trial call
 * through after the open period to find out whether XProtect is back.
 *
 * <pre>
 *   CLOSED --threshold failures--> OPEN --openDuration--> HALF_OPEN --success--> CLOSED
 *                                   ^                         |
 *                                   +--------failure----------+
 * </pre>
 *
 * Only {@link XProtectUnavailableException} counts as a failure: a 404 proves XProtect is up.
 */
public final class CircuitBreaker {
    /** The breaker's state; the ordinal is what the state gauge reports. */
    public enum State { CLOSED, HALF_OPEN, OPEN }

    private final String name;
    private final int threshold;
    private final Duration openDuration;
    private final Clock clock;
    private State state = State.CLOSED;
    private int failures;
    private Instant openedAt = Instant.EPOCH;
    private boolean trialInFlight;

    public CircuitBreaker(String name, int threshold, Duration openDuration, Clock clock) {
        this.name = name;
        this.threshold = threshold;
        this.openDuration = openDuration;
        this.clock = clock;
    }

    public synchronized State state() {
        if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(openDuration))) {
            state = State.HALF_OPEN;
        }
        return state;
    }

    public <T> Future<T> call(Supplier<Future<T>> action) {
        synchronized (this) {
            State s = state();
            if (s == State.OPEN || (s == State.HALF_OPEN && trialInFlight)) {
                Duration left = Duration.between(clock.instant(), openedAt.plus(openDuration));
                Duration retryAfter = left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left;
                return Future.failedFuture(new XProtectUnavailableException(
                        "XProtect (" + name + ") is unavailable: recent calls failed; the circuit is open",
                        retryAfter, null));
            }
            if (s == State.HALF_OPEN) {
                trialInFlight = true;
            }
        }
        Future<T> f;
        try {
            f = action.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        return f.andThen(ar -> record(ar.succeeded() || !(ar.cause() instanceof XProtectUnavailableException)));
    }

    private synchronized void record(boolean success) {
        trialInFlight = false;
        if (success) {
            failures = 0;
            state = State.CLOSED;
            return;
        }
        failures++;
        if (state == State.HALF_OPEN || failures >= threshold) {
            state = State.OPEN;
            openedAt = clock.instant();
        }
    }
}
