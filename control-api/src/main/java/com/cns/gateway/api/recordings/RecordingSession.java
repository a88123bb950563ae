package com.cns.gateway.api.recordings;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
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

}
