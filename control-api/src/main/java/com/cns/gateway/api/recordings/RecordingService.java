package com.cns.gateway.api.recordings;

import com.cns.gateway.api.cameras.Camera;
import com.cns.gateway.api.cameras.CameraRepository;
import com.cns.gateway.api.events.EventHub;
import com.cns.gateway.api.errors.CameraNotFoundException;
import com.cns.gateway.api.errors.ConflictException;
import com.cns.gateway.api.errors.InvalidFieldException;
import com.cns.gateway.api.errors.NotFoundException;
import com.cns.gateway.api.errors.UpstreamRefusedException;
import com.cns.gateway.config.RecordingSettings;
import com.cns.gateway.milestone.XProtectUnavailableException;
import com.cns.gateway.milestone.soap.RecorderCommandClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * RecordingService starts and stops manual recordings for operators. A session row is committed
 * ({@code starting}) before XProtect is asked to record, so a crash in between is found and settled
 * at the next start; the answer is given only once XProtect confirmed.
 */
public final class RecordingService {
    private final CameraRepository cameras;
    private final RecordingSessionRepository sessions;
    private final SessionLifecycle lifecycle;
    private final RecorderCommandClient recorders;
    private final EventHub events;
    private final RecordingSettings settings;
    private final String instanceId;
    private final Clock clock;
    private final Counter started;

    public RecordingService(CameraRepository cameras, RecordingSessionRepository sessions, SessionLifecycle lifecycle,
                            RecorderCommandClient recorders, EventHub events, RecordingSettings settings,
                            String instanceId, Clock clock, MeterRegistry registry) {
        this.started = Counter.builder("gateway_recordings_started").description("Manual recordings started")
                .register(registry);
        this.cameras = cameras;
        this.sessions = sessions;
        this.lifecycle = lifecycle;
        this.recorders = recorders;
        this.events = events;
        this.settings = settings;
        this.instanceId = instanceId;
        this.clock = clock;
    }

    public Future<RecordingSession> start(UUID cameraId, int duration, String actor) {
        return camera(cameraId).compose(c -> {
            Integer timeout = xprotectTimeoutSeconds(c);
            if (timeout != null && duration > timeout && !settings.renewBeyondXProtectTimeout()) {
                return Future.failedFuture(new InvalidFieldException("duration", "Camera " + c.name()
                        + " stops manual recordings after " + timeout / 60 + " minutes in XProtect "
                        + "(manualRecordingTimeoutMinutes); ask for at most " + timeout + " seconds", (long) timeout));
            }
            String uri = c.milestoneMetadata() == null ? null : c.milestoneMetadata().getString("recordingServerUri");
            String recordingId = "rec_" + UUID.randomUUID();
            return sessions.insertStarting(cameraId, recordingId, duration, actor, timeout, uri,
                            c.milestoneDeviceId(), clock.instant())
                    .recover(e -> isUniqueViolation(e) ? conflict(cameraId) : Future.failedFuture(e))
                    .compose(s -> sessions.audit(s, "start", actor, instanceId, duration + "s", clock.instant())
                            .compose(v -> startAtXProtect(s)));
        });
    }

    private Future<RecordingSession> startAtXProtect(RecordingSession s) {
        return recorders.startManualRecording(s.recorder(), s.deviceId()).transform(ar -> {
            Instant now = clock.instant();
            if (ar.succeeded() && ar.result().succeeded()) {
                return sessions.markRecording(s.id(), now, now).compose(o -> {
                    if (o.isEmpty()) {
                        // The start took longer than the lease and the sweep settled the session meanwhile.
                        return Future.failedFuture(new ConflictException("XProtect confirmed the start of "
                                + s.recordingId() + " after the gateway had given it up; see the recording status",
                                "recordingId", s.recordingId()));
                    }
                    RecordingSession session = o.get();
                    started.increment();
                    return events.publish(RecordingEvents.started(session, now)).map(session);
                });
            }
            Throwable cause = ar.succeeded() ? new UpstreamRefusedException("XProtect refused to start recording: "
                    + ar.result().message()) : ar.cause();
            // The start may have reached XProtect before the failure: ask it to stop, best effort.
            if (ar.failed()) {
                recorders.stopManualRecording(s.recorder(), s.deviceId());
            }
            return sessions.markFailed(s.id(), "starting", StopReason.FAILURE, cause.getMessage(), null, now)
                    .compose(done -> lifecycle.announceEnd(done, "start_failed"))
                    .compose(v -> Future.failedFuture(cause));
        });
    }

    /** Stops the camera's active recording now, as an operator asked. */
    public Future<RecordingSession> stop(UUID cameraId, String actor) {
        return camera(cameraId).compose(c -> sessions.active(cameraId)).compose(active -> {
            if (active.isEmpty()) {
                return Future.failedFuture(new NotFoundException("No active recording found for camera"));
            }
            RecordingSession s = active.get();
            if (s.state() == SessionState.STARTING) {
                return Future.failedFuture(new ConflictException("The recording is still starting; try again in a moment",
                        "recordingId", s.recordingId()));
            }
            return lifecycle.attemptStop(s, StopReason.USER, actor).compose(stop -> switch (stop.outcome()) {
                case STOPPED, FAILED -> Future.succeededFuture(stop.session());
                case RETRY_LATER -> Future.failedFuture(new XProtectUnavailableException(
                        "XProtect did not confirm the stop of " + s.recordingId() + "; the gateway keeps retrying",
                        settings.stopRetryDelay().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                                : settings.stopRetryDelay(), null));
                case NOT_OURS -> Future.failedFuture(new ConflictException("A stop of this recording is already in progress",
                        "recordingId", s.recordingId()));
            });
        });
    }

    /** The plan's 8.2 status: the running recording with elapsed/remaining, or the last one. */
    public Future<RecordingStatus> status(UUID cameraId) {
        return camera(cameraId).compose(c -> sessions.last(cameraId))
                .map(last -> new RecordingStatus(last.orElse(null), clock.instant()));
    }

    private Future<Camera> camera(UUID id) {
        return cameras.find(id).compose(c -> c.map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(new CameraNotFoundException(id))));
    }

    private Future<RecordingSession> conflict(UUID cameraId) {
        return sessions.active(cameraId)
                .compose(a -> Future.failedFuture(new AlreadyRecordingException(a.orElse(null), clock.instant())));
    }

    private static Integer xprotectTimeoutSeconds(Camera c) {
        JsonObject m = c.milestoneMetadata();
        if (m == null || !m.getBoolean("manualRecordingTimeoutEnabled", false)) {
            return null;
        }
        int minutes = m.getInteger("manualRecordingTimeoutMinutes", 0);
        return minutes > 0 ? minutes * 60 : null;
    }

    private static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
