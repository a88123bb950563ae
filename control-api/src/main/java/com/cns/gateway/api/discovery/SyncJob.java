package com.cns.gateway.api.discovery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** SyncJob is one bulk synchronisation with XProtect, as kept in {@code milestone_sync_history}. */
public record SyncJob(
        UUID id,
        String syncType,
        String sourceFilter,
        boolean autoImport,
        String status,
        Integer total,
        int processed,
        Integer discovered,
        Integer imported,
        Integer updated,
        Integer errors,
        JsonArray errorDetails,
        Instant startedAt,
        Instant completedAt,
        String initiatedBy) {

    public static final String ID_PREFIX = "sync_";

    public String publicId() {
        return ID_PREFIX + id;
    }

    public JsonObject toJson() {
        Double percent = total == null ? null : total == 0 ? 100.0 : Math.round(1000.0 * processed / total) / 10.0;
        return new JsonObject()
                .put("syncJobId", publicId())
                .put("status", status)
                .put("syncType", syncType)
                .put("sourceFilter", sourceFilter)
                .put("autoImport", autoImport)
                .put("startedAt", startedAt.truncatedTo(ChronoUnit.MILLIS).toString())
                .put("completedAt", completedAt == null ? null : completedAt.truncatedTo(ChronoUnit.MILLIS).toString())
                .put("progress", new JsonObject().put("processed", processed).put("total", total).put("percent", percent))
                .put("camerasDiscovered", discovered)
                .put("camerasImported", imported)
                .put("camerasUpdated", updated)
                .put("errors", errors)
                .put("errorDetails", errorDetails == null ? new JsonArray() : errorDetails)
                .put("initiatedBy", initiatedBy);
    }
}
