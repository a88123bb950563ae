package com.cns.gateway.api.discovery;

import io.vertx.core.json.JsonArray;
import java.time.Instant;
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
}
