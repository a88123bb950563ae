package com.cns.gateway.api.recordings;

import com.cns.gateway.api.events.EventHub;
import com.cns.gateway.config.RecordingSettings;
import com.cns.gateway.milestone.XpSequence;
import com.cns.gateway.milestone.soap.RecorderCommandClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * SessionLifecycle moves running sessions on: stopping them (once, under a lease), renewing them
 * before XProtect's own manual-recording timeout, checking that XProtect still records, and
 * settling sessions left {@code starting} by a crash. Each transition is a conditional UPDATE, and
 * only the caller whose UPDATE won announces it.
 */
public final class SessionLifecycle {
    private static final Logger LOG = Logger.getLogger(SessionLifecycle.class.getName());
    /** A sequence whose end is this close to now is still being recorded (XProtect answers its end as now). */
    private static final Duration OPEN_SEQUENCE = Duration.ofSeconds(1);

    private final RecordingSessionRepository sessions;
    private final RecorderCommandClient recorders;
    private final EventHub events;
    private final RecordingSettings settings;
    private final String instanceId;
    private final Clock clock;
    private final Map<StopReason, Counter> ended = new EnumMap<>(StopReason.class);

    /**
     * {@code registry} counts every end in {@code gateway_recordings_stopped_total{reason}} (user, auto,
     * xprotect_timeout, failure), once per session whichever path ended it; each reason starts at 0.
     */
    public SessionLifecycle(RecordingSessionRepository sessions, RecorderCommandClient recorders, EventHub events,
                            RecordingSettings settings, String instanceId, Clock clock, MeterRegistry registry) {
        for (StopReason r : StopReason.values()) {
            ended.put(r, Counter.builder("gateway_recordings_stopped").description("Manual recordings ended, by reason")
                    .tag("reason", r.db()).register(registry));
        }
        this.sessions = sessions;
        this.recorders = recorders;
        this.events = events;
        this.settings = settings;
        this.instanceId = instanceId;
        this.clock = clock;
    }

    /** The outcome of one stop attempt. */
    public enum StopOutcome { STOPPED, FAILED, RETRY_LATER, NOT_OURS }

    /**
     * One stop attempt's outcome and the session as it then stood: for {@code STOPPED} and
     * {@code FAILED} the row this caller's UPDATE returned (so a caller needs no second read, which a
     * camera deleted right after the stop would leave empty), otherwise the session as it was given.
     */
    public record StopResult(StopOutcome outcome, RecordingSession session) { }

    /**
     * One stop attempt: take the lease (committed before the SOAP call), call StopManualRecording,
     * and on success make the session {@code stopped}. A failed attempt keeps the lease until a
     * backoff delay passes, when any instance may try again; after {@code stopAttempts} the session is
     * {@code failed}.
     */
    public Future<StopResult> attemptStop(RecordingSession s, StopReason reason, String actor) {
        Instant now = clock.instant();
        return sessions.takeStopLease(s.id(), instanceId, now.plus(settings.lease()), reason, actor, now)
                .compose(leased -> leased.isEmpty() ? Future.succeededFuture(new StopResult(StopOutcome.NOT_OURS, s))
                        : stopLeased(leased.get()));
    }

    private Future<StopResult> stopLeased(RecordingSession s) {
        return recorders.stopManualRecording(s.recorder(), s.deviceId()).transform(ar -> {
            Instant now = clock.instant();
            if (ar.succeeded() && ar.result().succeeded()) {
                return sessions.markStopped(s.id(), instanceId, now).compose(done -> announceEnd(done, "stop")
                        .map(ours -> ours ? new StopResult(StopOutcome.STOPPED, done.get())
                                : new StopResult(StopOutcome.NOT_OURS, s)));
            }
            String error = ar.succeeded() ? "XProtect refused the stop: " + ar.result().message()
                    : ar.cause().getMessage();
            if (s.stopAttempts() >= settings.stopAttempts()) {
                return sessions.markFailed(s.id(), "stopping", StopReason.FAILURE, "stop failed after "
                                + s.stopAttempts() + " attempts: " + error, instanceId, now)
                        .compose(done -> announceEnd(done, "stop_failed")
                                .map(ours -> ours ? new StopResult(StopOutcome.FAILED, done.get())
                                        : new StopResult(StopOutcome.NOT_OURS, s)));
            }
            long backoff = settings.stopRetryDelay().toMillis() << Math.min(s.stopAttempts() - 1, 10);
            LOG.warning("Stop of " + s.recordingId() + " failed (attempt " + s.stopAttempts() + "), retrying in "
                    + backoff + " ms: " + error);
            return sessions.deferStop(s.id(), instanceId, now.plusMillis(backoff), error)
                    .map(new StopResult(StopOutcome.RETRY_LATER, s));
        });
    }

    /**
     * Renews a manual recording before the camera's own XProtect timeout ends it (a repeated Start).
     * A renewal that comes late (the timeout passed, say while XProtect was unreachable) first asks
     * whether XProtect still records: a Start then would begin a new recording after a hole, so a
     * session XProtect ended is ended with reason {@code xprotect_timeout} instead.
     */
    public Future<Void> renew(RecordingSession s) {
        boolean late = !clock.instant().isBefore(s.renewedAt().plusSeconds(s.xprotectTimeoutSeconds()));
        if (late) {
            return recorders.isManualRecording(s.recorder(), s.deviceId())
                    .compose(on -> on ? startAgain(s) : endedEarly(s));
        }
        return startAgain(s);
    }

    private Future<Void> startAgain(RecordingSession s) {
        return recorders.startManualRecording(s.recorder(), s.deviceId()).compose(r -> r.succeeded()
                ? sessions.touch(s.id(), "renewed_at", clock.instant())
                        .compose(v -> sessions.audit(s, "renew", "system", instanceId, null, clock.instant()))
                : Future.failedFuture("XProtect refused the renewal: " + r.message()));
    }

    /** When the session must next be renewed, or null if XProtect's timeout cannot end it first. */
    public Instant renewalDue(RecordingSession s) {
        if (s.xprotectTimeoutSeconds() == null || s.renewedAt() == null || s.estimatedEndTime() == null) {
            return null;
        }
        Duration timeout = Duration.ofSeconds(s.xprotectTimeoutSeconds());
        Duration margin = timeout.dividedBy(5).compareTo(Duration.ofSeconds(60)) < 0 ? timeout.dividedBy(5)
                : Duration.ofSeconds(60);
        Instant timesOut = s.renewedAt().plus(timeout);
        return timesOut.isAfter(s.estimatedEndTime()) ? null : timesOut.minus(margin);
    }

    /**
     * Asks XProtect whether the session still records; if not, it ended early: by XProtect's own
     * timeout when that had passed, otherwise by something else (another operator, a restart).
     */
    public Future<Void> check(RecordingSession s) {
        return recorders.isManualRecording(s.recorder(), s.deviceId())
                .compose(on -> on ? sessions.touch(s.id(), "checked_at", clock.instant()) : endedEarly(s));
    }

    private Future<Void> endedEarly(RecordingSession s) {
        Instant now = clock.instant();
        Instant timesOut = s.xprotectTimeoutSeconds() == null || s.renewedAt() == null ? null
                : s.renewedAt().plusSeconds(s.xprotectTimeoutSeconds());
        boolean timedOut = timesOut != null && !now.isBefore(timesOut);
        StopReason reason = timedOut ? StopReason.XPROTECT_TIMEOUT : StopReason.FAILURE;
        String error = timedOut ? "XProtect stopped the recording at the camera's manual recording timeout ("
                + s.xprotectTimeoutSeconds() / 60 + " min)" : "XProtect stopped recording before the requested end";
        Instant noticed = timedOut ? timesOut : now;
        return recordedEnd(s, now, noticed).recover(e -> Future.succeededFuture(noticed))
                .compose(end -> sessions.endRunning(s.id(), reason, error, end))
                .compose(done -> announceEnd(done, "ended_early")).mapEmpty();
    }

    /**
     * When XProtect stopped recording, as it recorded it: the end of the recording sequence that
     * began during the session and closed before now. The gateway notices an early end only at its
     * next check (every few seconds), so {@code now} would be late by up to that interval. When no
     * such sequence exists (the camera records on without the manual recording, say), the end is
     * {@code otherwise}: the camera's timeout if that passed, else now.
     */
    private Future<Instant> recordedEnd(RecordingSession s, Instant now, Instant otherwise) {
        return recorders.sequencesGetAround(s.recorder(), s.deviceId(), now, 1, 0).map(found -> found.stream()
                .filter(q -> q.begin().isBefore(now) && q.end().isBefore(now.minus(OPEN_SEQUENCE))
                        && !q.end().isBefore(s.startTime()))
                .map(XpSequence::end).reduce((a, b) -> b).orElse(otherwise));
    }

    /**
     * Settles a session left {@code starting} (the gateway stopped between the SOAP start and its
     * commit): if XProtect records, the session runs from its creation; if not, it failed.
     */
    public Future<Void> reconcileStarting(RecordingSession s) {
        return recorders.isManualRecording(s.recorder(), s.deviceId()).compose(on -> {
            Instant now = clock.instant();
            if (on) {
                return sessions.markRecording(s.id(), s.createdAt(), now).compose(o -> {
                    if (o.isEmpty()) {
                        return Future.succeededFuture();
                    }
                    LOG.info("Recovered " + s.recordingId() + ": XProtect was recording when the gateway restarted");
                    return sessions.audit(o.get(), "reconcile", "system", instanceId, "recording", now)
                            .compose(v -> events.publish(RecordingEvents.started(o.get(), now)));
                });
            }
            return sessions.markFailed(s.id(), "starting", StopReason.FAILURE,
                    "the gateway stopped before XProtect confirmed the start", null, now)
                    .compose(done -> announceEnd(done, "reconcile")).mapEmpty();
        });
    }

    /**
     * Audits and announces an end that this caller's UPDATE made; answers false, doing nothing, when
     * another caller made it.
     */
    Future<Boolean> announceEnd(Optional<RecordingSession> done, String action) {
        if (done.isEmpty()) {
            return Future.succeededFuture(false);
        }
        RecordingSession s = done.get();
        Instant now = clock.instant();
        if (s.stopReason() != null) {
            ended.get(s.stopReason()).increment();
        }
        String actor = s.stopReason() == StopReason.USER && s.stoppedBy() != null ? s.stoppedBy() : "system";
        return sessions.audit(s, action, actor, instanceId, s.stopReason() == null ? null : s.stopReason().db(), now)
                .compose(v -> events.publish(RecordingEvents.stopped(s, now)))
                .map(true);
    }
}
