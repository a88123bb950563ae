package com.cns.gateway.api.recordings;

import com.cns.gateway.api.events.EventHub;
import com.cns.gateway.config.RecordingSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * RecordingAutoStopScheduler drives every active session from the database, on every instance, a
 * few times a second: it stops sessions whose end has come (and retries stops whose lease ran out),
 * renews them before XProtect's own timeout, checks that XProtect still records, and settles
 * sessions left {@code starting} by a crash. Working from the table rather than from in-memory
 * timers means a restart, or another instance, picks up where a dead instance left off; the
 * conditional updates of {@link SessionLifecycle} make each transition happen once. Times come from
 * the injected clock, so tests move a fake clock instead of sleeping.
 */
public final class RecordingAutoStopScheduler {
    private static final Logger LOG = Logger.getLogger(RecordingAutoStopScheduler.class.getName());
    static final Duration TICK = Duration.ofMillis(250);
    /** No liveness check this close to the end: the auto-stop is about to settle the session. */
    private static final Duration CHECK_QUIET_BEFORE_END = Duration.ofSeconds(2);

    private final RecordingSessionRepository sessions;
    private final SessionLifecycle lifecycle;
    private final EventHub events;
    private final RecordingSettings settings;
    private final Clock clock;
    private final Set<UUID> busy = ConcurrentHashMap.newKeySet();
    private final AtomicInteger activeCount = new AtomicInteger();
    private final Timer autoStopLag;
    private final MeterRegistry registry;
    private long sweepTimer = -1;
    private long progressTimer = -1;
    private boolean sweeping;
    /** When sweeps began failing (System.nanoTime), 0 while they work; and when that was last logged. */
    private long failingSince;
    private long lastFailureLog;

    public RecordingAutoStopScheduler(RecordingSessionRepository sessions, SessionLifecycle lifecycle, EventHub events,
                                      RecordingSettings settings, Clock clock, MeterRegistry registry) {
        this.sessions = sessions;
        this.lifecycle = lifecycle;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.registry = registry;
        Gauge.builder("gateway_recordings_active", activeCount, AtomicInteger::get)
                .description("Manual recordings running (any instance)").register(registry);
        this.autoStopLag = Timer.builder("gateway_recording_autostop_lag")
                .description("How late an auto-stop reached XProtect after the recording's end").register(registry);
        // Every outcome's series exists from the first scrape (the Recordings board's panel shows 0, not no data).
        for (SessionLifecycle.StopOutcome o : SessionLifecycle.StopOutcome.values()) {
            attempts(o);
        }
    }

    private Counter attempts(SessionLifecycle.StopOutcome outcome) {
        return Counter.builder("gateway_recording_stop_attempts").description("Stop attempts of the sweep, by outcome "
                + "(stopped, retry_later after a failure, failed for good, not_ours)")
                .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
    }

    public void start(Vertx vertx) {
        sweepTimer = vertx.setPeriodic(TICK.toMillis(), t -> sweep());
        progressTimer = vertx.setPeriodic(settings.progressInterval().toMillis(), t -> progress());
    }

    public void stop(Vertx vertx) {
        vertx.cancelTimer(sweepTimer);
        vertx.cancelTimer(progressTimer);
    }

    /** One pass over the active sessions; overlapping passes are skipped. */
    public Future<Void> sweep() {
        synchronized (this) {
            if (sweeping) {
                return Future.succeededFuture();
            }
            sweeping = true;
        }
        return sessions.allActive().map(all -> {
            activeCount.set(all.size());
            Instant now = clock.instant();
            for (RecordingSession s : all) {
                if (!busy.contains(s.id())) {
                    act(s, now);
                }
            }
            return (Void) null;
        }).onComplete(ar -> {
            synchronized (this) {
                sweeping = false;
            }
            // Logged when sweeps start failing (and then once a minute) and when they work again: a
            // database outage would otherwise log four lines a second.
            long now = System.nanoTime();
            if (ar.failed()) {
                if (failingSince == 0 || now - lastFailureLog > TimeUnit.MINUTES.toNanos(1)) {
                    LOG.warning("Recording sweep failed" + (failingSince == 0 ? "" : " (still)") + ": "
                            + ar.cause().getMessage());
                    lastFailureLog = now;
                }
                if (failingSince == 0) {
                    failingSince = now;
                }
            } else if (failingSince != 0) {
                LOG.info("Recording sweeps work again after " + TimeUnit.NANOSECONDS.toSeconds(
                        now - failingSince) + " s of failures");
                failingSince = 0;
            }
        });
    }

    private void act(RecordingSession s, Instant now) {
        switch (s.state()) {
            case STARTING -> {
                if (!s.createdAt().plus(settings.lease()).isAfter(now)) {
                    run(s, "reconcile", () -> lifecycle.reconcileStarting(s));
                }
            }
            case STOPPING -> {
                if (s.leaseExpiresAt() == null || !s.leaseExpiresAt().isAfter(now)) {
                    run(s, "stop retry", () -> lifecycle.attemptStop(s, StopReason.FAILURE, "system")
                            .map(SessionLifecycle.StopResult::outcome).map(this::countAttempt).mapEmpty());
                }
            }
            case RECORDING -> {
                Instant renewal = lifecycle.renewalDue(s);
                if (!s.estimatedEndTime().isAfter(now)) {
                    run(s, "auto-stop", () -> lifecycle.attemptStop(s, StopReason.AUTO, "system")
                            .map(SessionLifecycle.StopResult::outcome).map(this::countAttempt).map(outcome -> {
                                if (outcome == SessionLifecycle.StopOutcome.STOPPED) {
                                    autoStopLag.record(Duration.between(s.estimatedEndTime(), clock.instant()));
                                }
                                return null;
                            }));
                } else if (renewal != null && !renewal.isAfter(now)) {
                    run(s, "renewal", () -> lifecycle.renew(s));
                } else if ((s.checkedAt() == null || !s.checkedAt().plus(settings.checkInterval()).isAfter(now))
                        && Duration.between(now, s.estimatedEndTime()).compareTo(CHECK_QUIET_BEFORE_END) > 0) {
                    run(s, "check", () -> lifecycle.check(s));
                }
            }
            default -> { }
        }
    }

    private void run(RecordingSession s, String what, Supplier<Future<Void>> work) {
        busy.add(s.id());
        Future<Void> f;
        try {
            f = work.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> {
            busy.remove(s.id());
            if (ar.failed()) {
                LOG.warning("Recording " + s.recordingId() + ": " + what + " failed: " + ar.cause().getMessage());
            }
        });
    }

    private SessionLifecycle.StopOutcome countAttempt(SessionLifecycle.StopOutcome outcome) {
        attempts(outcome).increment();
        return outcome;
    }

    /** Sends {@code recording_progress} for every running session to this instance's clients. */
    private void progress() {
        if (events.clientCount() == 0) {
            return;
        }
        sessions.allActive().onSuccess(all -> {
            Instant now = clock.instant();
            all.stream().filter(s -> s.state() == SessionState.RECORDING)
                    .forEach(s -> events.broadcastLocal(RecordingEvents.progress(s, now)));
        });
    }
}
