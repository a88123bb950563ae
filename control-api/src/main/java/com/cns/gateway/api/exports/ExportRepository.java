package com.cns.gateway.api.exports;

import static com.cns.gateway.api.db.PgTimes.instant;
import static com.cns.gateway.api.db.PgTimes.utc;

import com.cns.gateway.api.auth.CameraScope;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * ExportRepository keeps export jobs in {@code export_jobs}. A job is claimed by one instance at a time
 * ({@code FOR UPDATE SKIP LOCKED}, so two instances never take the same row), owned under a lease its
 * owner renews; a job whose lease ran out (its owner died) is claimed again by anyone, up to a limit
 * of attempts, after which it fails with the reason.
 */
public final class ExportRepository {
    private final Pool pool;

    public ExportRepository(Pool pool) {
        this.pool = pool;
    }

    public Future<ExportJob> insert(UUID cameraId, Instant start, Instant end, String format, boolean burn,
                                    String description, String createdBy, String createdRole, Instant now) {
        return pool.preparedQuery("INSERT INTO export_jobs (id, camera_id, start_time, end_time, format, burn_timestamp, "
                        + "description, status, total_ms, created_by, created_role, created_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, $9, $10, $11) RETURNING *")
                .execute(Tuple.of(UUID.randomUUID(), cameraId, utc(start), utc(end), format, burn, description)
                        .addValue(end.toEpochMilli() - start.toEpochMilli()).addValue(createdBy).addValue(createdRole)
                        .addValue(utc(now)))
                .map(rows -> map(rows.iterator().next()));
    }

    public Future<Optional<ExportJob>> find(UUID id) {
        return pool.preparedQuery("SELECT * FROM export_jobs WHERE id = $1").execute(Tuple.of(id)).map(ExportRepository::first);
    }

    /**
     * Newest first, of the cameras {@code scope} holds (by id, or by the source of a camera still
     * imported); null filters match anything. The scope is applied before the page is cut, so a page
     * is full whenever enough jobs in scope exist.
     */
    public Future<List<ExportJob>> list(UUID camera, ExportJob.Status status, CameraScope scope, int limit, int offset) {
        return pool.preparedQuery("SELECT * FROM export_jobs WHERE ($1::uuid IS NULL OR camera_id = $1) "
                        + "AND ($2::varchar IS NULL OR status = $2) "
                        + "AND ($3::boolean OR camera_id = ANY($4::uuid[]) "
                        + "OR camera_id IN (SELECT id FROM cameras WHERE source = ANY($5::varchar[]))) "
                        + "ORDER BY created_at DESC, id LIMIT $6 OFFSET $7")
                .execute(Tuple.of(camera, status == null ? null : status.label(), scope.all(),
                        scope.ids().toArray(new UUID[0]), scope.sources().toArray(new String[0]), limit)
                        .addValue(offset))
                .map(ExportRepository::all);
    }

    /**
     * Takes the oldest job waiting (queued, or running under a lease that ran out before {@code now})
     * for {@code owner} until {@code leaseUntil}, counting an attempt; empty when none waits.
     */
    public Future<Optional<ExportJob>> claim(String owner, Instant now, Instant leaseUntil) {
        return pool.preparedQuery("UPDATE export_jobs SET status = 'in_progress', owner_instance = $1, lease_until = $3, "
                        + "started_at = coalesce(started_at, $2), attempts = attempts + 1, processed_ms = 0 "
                        + "WHERE id = (SELECT id FROM export_jobs WHERE status = 'queued' "
                        + "OR (status = 'in_progress' AND lease_until < $2) ORDER BY created_at LIMIT 1 "
                        + "FOR UPDATE SKIP LOCKED) RETURNING *")
                .execute(Tuple.of(owner, utc(now), utc(leaseUntil))).map(ExportRepository::first);
    }

    /** Extends {@code owner}'s lease; false when the job is no longer its own and running (cancelled, taken over). */
    public Future<Boolean> renew(UUID id, String owner, Instant leaseUntil) {
        return pool.preparedQuery("UPDATE export_jobs SET lease_until = $3 WHERE id = $1 AND owner_instance = $2 "
                        + "AND status = 'in_progress'")
                .execute(Tuple.of(id, owner, utc(leaseUntil))).map(r -> r.rowCount() == 1);
    }

    public Future<Void> progress(UUID id, String owner, long processedMs, long totalMs) {
        return pool.preparedQuery("UPDATE export_jobs SET processed_ms = $3, total_ms = $4 WHERE id = $1 "
                        + "AND owner_instance = $2 AND status = 'in_progress'")
                .execute(Tuple.of(id, owner, processedMs, totalMs)).mapEmpty();
    }

    /** Marks {@code owner}'s running job completed; false when it was cancelled or taken over meanwhile. */
    public Future<Boolean> complete(UUID id, String owner, long sizeBytes, String sha256, String manifest,
                                    Instant completedAt, Instant expiresAt) {
        return pool.preparedQuery("UPDATE export_jobs SET status = 'completed', size_bytes = $3, sha256 = $4, "
                        + "manifest = $5, completed_at = $6, expires_at = $7, processed_ms = total_ms, lease_until = NULL "
                        + "WHERE id = $1 AND owner_instance = $2 AND status = 'in_progress'")
                .execute(Tuple.of(id, owner, sizeBytes, sha256, manifest, utc(completedAt)).addValue(utc(expiresAt)))
                .map(r -> r.rowCount() == 1);
    }

    /** Marks a running or queued job failed with {@code reason}. */
    public Future<Void> fail(UUID id, String reason, Instant at, Instant expiresAt) {
        return pool.preparedQuery("UPDATE export_jobs SET status = 'failed', error = $2, completed_at = $3, "
                        + "expires_at = $4, lease_until = NULL WHERE id = $1 AND status IN ('queued', 'in_progress')")
                .execute(Tuple.of(id, reason, utc(at), utc(expiresAt))).mapEmpty();
    }

    /** Fails the jobs abandoned {@code maxAttempts} times (their lease ran out again); returns them. */
    public Future<List<ExportJob>> failAbandoned(int maxAttempts, Instant now, Instant expiresAt) {
        return pool.preparedQuery("UPDATE export_jobs SET status = 'failed', completed_at = $2, expires_at = $3, "
                        + "error = 'abandoned: the gateway instance running it (' || coalesce(owner_instance, 'unknown') "
                        + "|| ') stopped renewing its lease, ' || attempts || ' time(s)', lease_until = NULL "
                        + "WHERE status = 'in_progress' AND lease_until < $2 AND attempts >= $1 RETURNING *")
                .execute(Tuple.of(maxAttempts, utc(now), utc(expiresAt))).map(ExportRepository::all);
    }

    /** Cancels a queued or running job; empty when it had already finished (or does not exist). */
    public Future<Optional<ExportJob>> cancel(UUID id, Instant at, Instant expiresAt) {
        return pool.preparedQuery("UPDATE export_jobs SET status = 'cancelled', completed_at = $2, expires_at = $3, "
                        + "lease_until = NULL WHERE id = $1 AND status IN ('queued', 'in_progress') RETURNING *")
                .execute(Tuple.of(id, utc(at), utc(expiresAt))).map(ExportRepository::first);
    }

    public Future<Boolean> delete(UUID id) {
        return pool.preparedQuery("DELETE FROM export_jobs WHERE id = $1").execute(Tuple.of(id))
                .map(r -> r.rowCount() == 1);
    }

    /** Finished jobs kept past their expiry (the caller deletes their files, then the rows). */
    public Future<List<ExportJob>> expired(Instant now) {
        return pool.preparedQuery("SELECT * FROM export_jobs WHERE expires_at < $1 LIMIT 100")
                .execute(Tuple.of(utc(now))).map(ExportRepository::all);
    }

    private static Optional<ExportJob> first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(map(it.next())) : Optional.empty();
    }

    private static List<ExportJob> all(RowSet<Row> rows) {
        List<ExportJob> out = new ArrayList<>();
        rows.forEach(r -> out.add(map(r)));
        return out;
    }

    private static ExportJob map(Row r) {
        return new ExportJob(r.getUUID("id"), r.getUUID("camera_id"), instant(r.getOffsetDateTime("start_time")),
                instant(r.getOffsetDateTime("end_time")), r.getString("format"), r.getBoolean("burn_timestamp"),
                r.getString("description"), ExportJob.Status.of(r.getString("status")), r.getLong("processed_ms"),
                r.getLong("total_ms"), r.getLong("size_bytes"), r.getString("sha256"), r.getString("error"),
                r.getString("manifest"), r.getString("created_by"), r.getString("created_role"),
                instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("started_at")),
                instant(r.getOffsetDateTime("completed_at")), instant(r.getOffsetDateTime("expires_at")),
                r.getInteger("attempts"), r.getString("owner_instance"));
    }
}
