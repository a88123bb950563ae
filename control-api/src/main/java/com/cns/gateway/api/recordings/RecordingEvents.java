package com.cns.gateway.api.recordings;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * RecordingEvents builds the WebSocket events of the plan's appendix C: {@code type},
 * {@code cameraId} and {@code status} (the body of a status answer), plus the recording's id, and the
 * reason for a stop.
 */
final class RecordingEvents {
    private RecordingEvents() {
    }

    static JsonObject started(RecordingSession s, Instant now) {
        return running("recording_started", s, now);
    }

    static JsonObject progress(RecordingSession s, Instant now) {
        return running("recording_progress", s, now);
    }

    static JsonObject stopped(RecordingSession s, Instant now) {
        return base("recording_stopped", s, now).put("reason", s.stopReason() == null ? null : s.stopReason().db())
                .put("status", new JsonObject().put("isRecording", false).put("lastRecording", RecordingJson.finished(s)));
    }

    private static JsonObject running(String type, RecordingSession s, Instant now) {
        return base(type, s, now).put("status", new JsonObject().put("isRecording", true)
                .put("recording", RecordingJson.running(s, now)));
    }

    private static JsonObject base(String type, RecordingSession s, Instant now) {
        return new JsonObject().put("type", type).put("cameraId", s.cameraId().toString())
                .put("recordingId", s.recordingId()).put("timestamp", now.truncatedTo(ChronoUnit.MILLIS).toString());
    }
}
