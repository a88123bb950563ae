package com.cns.gateway.api.exports;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** ExportJob is one evidence export as {@code export_jobs} keeps it. */
public record ExportJob(UUID id, UUID cameraId, Instant startTime, Instant endTime, String format,
                        boolean burnTimestamp, String description, Status status, long processedMs, long totalMs,
                        Long sizeBytes, String sha256, String error, String manifest, String createdBy,
                        String createdRole, Instant createdAt, Instant startedAt, Instant completedAt,
                        Instant expiresAt, int attempts, String ownerInstance) {
    /** Export ids carry this prefix in the API: {@code exp_<uuid>}. */
    public static final String ID_PREFIX = "exp_";

    /** Where a job is. */
    public enum Status {
        QUEUED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean finished() {
            return this == COMPLETED || this == FAILED || this == CANCELLED;
        }

        public static Status of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    public String exportId() {
        return ID_PREFIX + id;
    }

    /** The file's name as downloaded: camera-less, time-named, safe in any file system. */
    public String fileName() {
        return "export-" + startTime.toString().replace(":", "") + "-" + id.toString().substring(0, 8) + ".mp4";
    }

    public JsonObject toJson() {
        int percent = totalMs <= 0 ? (status == Status.COMPLETED ? 100 : 0)
                : (int) Math.min(100, processedMs * 100 / totalMs);
        JsonObject o = new JsonObject().put("exportId", exportId()).put("cameraId", cameraId.toString())
                .put("startTime", startTime.toString()).put("endTime", endTime.toString()).put("format", format)
                .put("burnTimestamp", burnTimestamp).put("description", description).put("status", status.label())
                .put("progress", new JsonObject().put("processedMs", processedMs).put("totalMs", totalMs)
                        .put("percent", percent))
                .put("sizeBytes", sizeBytes).put("sha256", sha256).put("error", error)
                .put("createdBy", createdBy).put("createdAt", createdAt.toString())
                .put("startedAt", startedAt == null ? null : startedAt.toString())
                .put("completedAt", completedAt == null ? null : completedAt.toString())
                .put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        if (status == Status.COMPLETED) {
            o.put("fileUrl", "/api/v1/exports/" + exportId() + "/file")
                    .put("manifestUrl", "/api/v1/exports/" + exportId() + "/manifest");
        }
        return o;
    }
}
