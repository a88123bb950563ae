package com.cns.gateway.api.recordings;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** RecordingJson renders manual recordings as the plan's 8.2 answers and the appendix C events carry them. */
public final class RecordingJson {
    private RecordingJson() {
    }

    static String time(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The answer to a start. */
    public static JsonObject started(RecordingSession s) {
        return new JsonObject().put("recordingId", s.recordingId()).put("cameraId", s.cameraId().toString())
                .put("startTime", time(s.startTime())).put("estimatedEndTime", time(s.estimatedEndTime()))
                .put("durationSeconds", s.durationSeconds()).put("status", s.state().db());
    }

    /** The {@code recording} object of a status answer and of progress events. */
    public static JsonObject running(RecordingSession s, Instant now) {
        return new JsonObject().put("recordingId", s.recordingId()).put("startTime", time(s.startTime()))
                .put("elapsedSeconds", s.elapsedSeconds(now)).put("remainingSeconds", s.remainingSeconds(now))
                .put("durationSeconds", s.durationSeconds()).put("estimatedEndTime", time(s.estimatedEndTime()))
                .put("state", s.state().db());
    }

    /** The {@code lastRecording} object of a status answer. */
    public static JsonObject finished(RecordingSession s) {
        return new JsonObject().put("recordingId", s.recordingId()).put("startTime", time(s.startTime()))
                .put("endTime", time(s.endTime())).put("durationSeconds", s.durationSeconds())
                .put("status", s.state().db()).put("stopReason", s.stopReason() == null ? null : s.stopReason().db())
                .put("error", s.errorMessage());
    }

    /** The answer to a stop. */
    public static JsonObject stopped(RecordingSession s) {
        long actual = s.endTime() == null ? 0 : Math.max(0, Duration.between(s.startTime(), s.endTime()).toSeconds());
        return new JsonObject().put("recordingId", s.recordingId()).put("cameraId", s.cameraId().toString())
                .put("startTime", time(s.startTime())).put("endTime", time(s.endTime())).put("actualDuration", actual)
                .put("status", s.state().db()).put("stopReason", s.stopReason() == null ? null : s.stopReason().db());
    }

    /** A status answer: the running recording with elapsed and remaining time, or the last one. */
    public static JsonObject status(RecordingStatus status) {
        if (status.running()) {
            return new JsonObject().put("isRecording", true).put("recording", running(status.last(), status.at()));
        }
        return new JsonObject().put("isRecording", false)
                .put("lastRecording", status.last() == null ? null : finished(status.last()));
    }

    /** The 409 body of a start while another recording runs. */
    public static JsonObject alreadyRecording(AlreadyRecordingException e) {
        RecordingSession s = e.current();
        return new JsonObject().put("error", e.getMessage()).put("currentRecording", s == null ? null
                : new JsonObject().put("recordingId", s.recordingId()).put("startTime", time(s.startTime()))
                        .put("remainingSeconds", s.remainingSeconds(e.at())));
    }
}
