package com.cns.gateway.api.discovery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.temporal.ChronoUnit;

/** SyncJobJson renders a sync job's progress as {@code GET /api/v1/milestone/sync-jobs/{id}} answers it. */
public final class SyncJobJson {
    private SyncJobJson() {
    }

    public static JsonObject of(SyncJob j) {
        Double percent = j.total() == null ? null
                : j.total() == 0 ? 100.0 : Math.round(1000.0 * j.processed() / j.total()) / 10.0;
        return new JsonObject()
                .put("syncJobId", j.publicId())
                .put("status", j.status())
                .put("syncType", j.syncType())
                .put("sourceFilter", j.sourceFilter())
                .put("autoImport", j.autoImport())
                .put("startedAt", j.startedAt().truncatedTo(ChronoUnit.MILLIS).toString())
                .put("completedAt", j.completedAt() == null ? null
                        : j.completedAt().truncatedTo(ChronoUnit.MILLIS).toString())
                .put("progress", new JsonObject().put("processed", j.processed()).put("total", j.total())
                        .put("percent", percent))
                .put("camerasDiscovered", j.discovered())
                .put("camerasImported", j.imported())
                .put("camerasUpdated", j.updated())
                .put("errors", j.errors())
                .put("errorDetails", j.errorDetails() == null ? new JsonArray() : j.errorDetails())
                .put("initiatedBy", j.initiatedBy());
    }

    /** The answer to a started sync-all. */
    public static JsonObject started(SyncJob j) {
        return new JsonObject().put("syncJobId", j.publicId()).put("status", j.status())
                .put("message", "Camera synchronization started");
    }
}
