package com.cns.gateway.api.recordings;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** RecordingSession is one manual recording of one camera, as kept in {@code milestone_recording_sessions}. */
public record RecordingSession(
        UUID id,
        UUID cameraId,
        String recordingId,
        SessionState state,
        Instant startTime,
        Instant estimatedEndTime,
        Instant endTime,
        int durationSeconds,
        String triggeredBy,
        String stoppedBy,
        StopReason stopReason,
        String errorMessage,
        String leaseOwner,
        Instant leaseExpiresAt,
        int stopAttempts,
        Instant renewedAt,
        Instant checkedAt,
        Integer xprotectTimeoutSeconds,
        String recorderUri,
        String deviceId,
        Instant createdAt) {

    public URI recorder() {
        return recorderUri == null ? null : URI.create(recorderUri);
    }

    public long elapsedSeconds(Instant now) {
        long s = Duration.between(startTime, now).toSeconds();
        return Math.max(0, Math.min(s, durationSeconds));
    }

    public long remainingSeconds(Instant now) {
        if (estimatedEndTime == null) {
            return durationSeconds;
        }
        return Math.max(0, (long) Math.ceil(Duration.between(now, estimatedEndTime).toMillis() / 1000.0));
    }

    static String time(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The {@code recording} object of a status answer and of progress events (plan 8.2). */
    public JsonObject runningJson(Instant now) {
        return new JsonObject().put("recordingId", recordingId).put("startTime", time(startTime))
                .put("elapsedSeconds", elapsedSeconds(now)).put("remainingSeconds", remainingSeconds(now))
                .put("durationSeconds", durationSeconds).put("estimatedEndTime", time(estimatedEndTime))
                .put("state", state.db());
    }

    /** The {@code lastRecording} object of a status answer. */
    public JsonObject finishedJson() {
        return new JsonObject().put("recordingId", recordingId).put("startTime", time(startTime))
                .put("endTime", time(endTime)).put("durationSeconds", durationSeconds)
                .put("status", state.db()).put("stopReason", stopReason == null ? null : stopReason.db())
                .put("error", errorMessage);
    }

    /** The answer to a stop (plan 8.2). */
    public JsonObject stoppedJson() {
        long actual = endTime == null ? 0 : Math.max(0, Duration.between(startTime, endTime).toSeconds());
        return new JsonObject().put("recordingId", recordingId).put("cameraId", cameraId.toString())
                .put("startTime", time(startTime)).put("endTime", time(endTime)).put("actualDuration", actual)
                .put("status", state.db()).put("stopReason", stopReason == null ? null : stopReason.db());
    }
}
