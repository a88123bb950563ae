package com.cns.gateway.api.discovery;

import static com.cns.gateway.api.db.PgTimes.instant;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * SyncHistoryRepository keeps sync jobs in {@code milestone_sync_history}, progress included, so
 * any instance can report on a job another instance runs.
 */
public final class SyncHistoryRepository {
    private final Pool pool;

    public SyncHistoryRepository(Pool pool) {
        this.pool = pool;
    }

    /** Records a job run by {@code owner}, whose lease runs until {@code leaseUntil} unless renewed. */
    public Future<UUID> start(String syncType, String sourceFilter, boolean autoImport, String initiatedBy,
                              Instant startedAt, String owner, Instant leaseUntil) {
        return pool.preparedQuery("INSERT INTO milestone_sync_history (sync_type, source_filter, auto_import, "
                        + "started_at, status, initiated_by, owner_instance, lease_until) "
                        + "VALUES ($1, $2, $3, $4, 'in_progress', $5, $6, $7) RETURNING id")
                .execute(Tuple.of(syncType, sourceFilter, autoImport, startedAt.atOffset(ZoneOffset.UTC), initiatedBy,
                        owner, leaseUntil.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getUUID(0));
    }

    /** Extends the lease of a job still in progress. */
    public Future<Void> renew(UUID id, Instant leaseUntil) {
        return pool.preparedQuery("UPDATE milestone_sync_history SET lease_until = $2 "
                        + "WHERE id = $1 AND status = 'in_progress'")
                .execute(Tuple.of(id, leaseUntil.atOffset(ZoneOffset.UTC))).mapEmpty();
    }

    public Future<Void> progress(UUID id, int total, int processed) {
        return pool.preparedQuery("UPDATE milestone_sync_history SET cameras_total = $2, cameras_processed = $3 "
                + "WHERE id = $1").execute(Tuple.of(id, total, processed)).mapEmpty();
    }

    public Future<Void> finish(UUID id, String status, int total, int processed, int discovered, int imported,
                               int updated, JsonArray errors, Instant completedAt) {
        return pool.preparedQuery("UPDATE milestone_sync_history SET status = $2, cameras_total = $3, "
                        + "cameras_processed = $4, cameras_discovered = $5, cameras_imported = $6, cameras_updated = $7, "
                        + "errors = $8, error_details = $9, completed_at = $10 WHERE id = $1")
                .execute(Tuple.of(id, status, total, processed, discovered, imported, updated, errors.size())
                        .addValue(errors).addValue(completedAt.atOffset(ZoneOffset.UTC)))
                .mapEmpty();
    }

    public Future<Optional<SyncJob>> find(UUID id) {
        return pool.preparedQuery("SELECT * FROM milestone_sync_history WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(map(it.next())) : Optional.empty();
                });
    }

    /**
     * Marks as failed the jobs left {@code in_progress} by an instance that died: their lease ran out
     * before {@code now} (or, for rows from before leases, they started before {@code legacyStartedBefore}).
     */
    public Future<Integer> failAbandoned(Instant now, Instant legacyStartedBefore) {
        return pool.preparedQuery("UPDATE milestone_sync_history SET status = 'failed', completed_at = $1, "
                        + "error_details = coalesce(error_details, '[]'::jsonb) || jsonb_build_array(jsonb_build_object("
                        + "'error', 'abandoned: the gateway instance running it (' || coalesce(owner_instance, 'unknown')"
                        + " || ') stopped renewing its lease')) "
                        + "WHERE status = 'in_progress' AND (lease_until < $1 OR (lease_until IS NULL AND started_at < $2))")
                .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), legacyStartedBefore.atOffset(ZoneOffset.UTC)))
                .map(r -> r.rowCount());
    }

    private static SyncJob map(Row r) {
        return new SyncJob(r.getUUID("id"), r.getString("sync_type"), r.getString("source_filter"),
                r.getBoolean("auto_import"), r.getString("status"), r.getInteger("cameras_total"),
                r.getInteger("cameras_processed"), r.getInteger("cameras_discovered"), r.getInteger("cameras_imported"),
                r.getInteger("cameras_updated"), r.getInteger("errors"), (JsonArray) r.getJson("error_details"),
                instant(r.getOffsetDateTime("started_at")), instant(r.getOffsetDateTime("completed_at")),
                r.getString("initiated_by"));
    }
}
