package com.cns.gateway.api.recordings;

import static com.cns.gateway.api.db.PgTimes.instant;
import static com.cns.gateway.api.db.PgTimes.utc;

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
 * RecordingSessionRepository keeps manual recording sessions. Every state change is a conditional
 * UPDATE (on the state it leaves, and for stopping on the lease owner), so that with several
 * instances on one database each transition happens once: the caller whose UPDATE returned the row
 * made it, and only that caller announces it. Times come from the gateway's clock, not the
 * database's, so tests can move them.
 */
public final class RecordingSessionRepository {
    private static final String ACTIVE = "('starting', 'recording', 'stopping')";
    private final Pool pool;

    public RecordingSessionRepository(Pool pool) {
        this.pool = pool;
    }

    /** Inserts a {@code starting} session; fails with a unique violation if the camera has an active one. */
    public Future<RecordingSession> insertStarting(UUID cameraId, String recordingId, int duration, String triggeredBy,
                                                   Integer xprotectTimeout, String recorderUri, String deviceId,
                                                   Instant now) {
        return one(pool.preparedQuery("INSERT INTO milestone_recording_sessions (camera_id, milestone_recording_id, "
                        + "start_time, duration_seconds, triggered_by, status, xprotect_timeout_seconds, recorder_uri, "
                        + "device_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'starting', $6, $7, $8, $3, $3) "
                        + "RETURNING *")
                .execute(Tuple.of(cameraId, recordingId, utc(now), duration, triggeredBy, xprotectTimeout, recorderUri,
                        deviceId))).map(Optional::orElseThrow);
    }

    public Future<Optional<RecordingSession>> markRecording(UUID id, Instant start, Instant now) {
        return one(pool.preparedQuery("UPDATE milestone_recording_sessions SET status = 'recording', start_time = $2, "
                        + "estimated_end_time = $2 + make_interval(secs => duration_seconds), renewed_at = $2, "
                        + "checked_at = $3, updated_at = $3 WHERE id = $1 AND status = 'starting' RETURNING *")
                .execute(Tuple.of(id, utc(start), utc(now))));
    }

    /** Ends a session that never got going, or whose stop was given up: {@code failed}. */
    public Future<Optional<RecordingSession>> markFailed(UUID id, String from, StopReason reason, String error,
                                                         String owner, Instant now) {
        return one(pool.preparedQuery("UPDATE milestone_recording_sessions SET status = 'failed', stop_reason = $3, "
                        + "error_message = $4, end_time = $5, lease_owner = NULL, lease_expires_at = NULL, "
                        + "updated_at = $5 WHERE id = $1 AND status = $2 AND ($6::varchar IS NULL OR lease_owner = $6) "
                        + "RETURNING *")
                .execute(Tuple.of(id, from, reason.db(), error, utc(now), owner)));
    }

    /**
     * Takes the stop lease: a {@code recording} session, or a {@code stopping} one whose lease ran out,
     * becomes {@code stopping} owned by {@code owner} until {@code until}, one more stop attempt counted.
     * Empty if another caller holds it or it has ended.
     */
    public Future<Optional<RecordingSession>> takeStopLease(UUID id, String owner, Instant until, StopReason reason,
                                                            String actor, Instant now) {
        return one(pool.preparedQuery("UPDATE milestone_recording_sessions SET status = 'stopping', lease_owner = $2, "
                        + "lease_expires_at = $3, stop_attempts = stop_attempts + 1, "
                        + "stop_reason = coalesce(stop_reason, $4), stopped_by = coalesce(stopped_by, $5), "
                        + "updated_at = $6 WHERE id = $1 AND (status = 'recording' "
                        + "OR (status = 'stopping' AND lease_expires_at <= $6)) RETURNING *")
                .execute(Tuple.of(id, owner, utc(until), reason.db(), actor, utc(now))));
    }

    /** Completes a stop the caller holds the lease of. */
    public Future<Optional<RecordingSession>> markStopped(UUID id, String owner, Instant end) {
        return one(pool.preparedQuery("UPDATE milestone_recording_sessions SET status = 'stopped', end_time = $3, "
                        + "lease_owner = NULL, lease_expires_at = NULL, error_message = NULL, updated_at = $3 "
                        + "WHERE id = $1 AND status = 'stopping' AND lease_owner = $2 RETURNING *")
                .execute(Tuple.of(id, owner, utc(end))));
    }

    /** After a failed stop attempt: keep the lease until {@code retryAt}, when any instance may try again. */
    public Future<Void> deferStop(UUID id, String owner, Instant retryAt, String error) {
        return pool.preparedQuery("UPDATE milestone_recording_sessions SET lease_expires_at = $3, error_message = $4 "
                        + "WHERE id = $1 AND status = 'stopping' AND lease_owner = $2")
                .execute(Tuple.of(id, owner, utc(retryAt), error)).mapEmpty();
    }

    /** Ends a running session that XProtect says is no longer recording. */
    public Future<Optional<RecordingSession>> endRunning(UUID id, StopReason reason, String error, Instant end) {
        return one(pool.preparedQuery("UPDATE milestone_recording_sessions SET status = 'stopped', stop_reason = $2, "
                        + "error_message = $3, end_time = $4, stopped_by = 'xprotect', updated_at = $4 "
                        + "WHERE id = $1 AND status = 'recording' RETURNING *")
                .execute(Tuple.of(id, reason.db(), error, utc(end))));
    }

    public Future<Void> touch(UUID id, String column, Instant at) {
        if (!column.equals("renewed_at") && !column.equals("checked_at")) {
            throw new IllegalArgumentException(column);
        }
        return pool.preparedQuery("UPDATE milestone_recording_sessions SET " + column + " = $2 WHERE id = $1")
                .execute(Tuple.of(id, utc(at))).mapEmpty();
    }

    public Future<Optional<RecordingSession>> active(UUID cameraId) {
        return one(pool.preparedQuery("SELECT * FROM milestone_recording_sessions WHERE camera_id = $1 AND status IN "
                + ACTIVE).execute(Tuple.of(cameraId)));
    }

    public Future<Optional<RecordingSession>> last(UUID cameraId) {
        return one(pool.preparedQuery("SELECT * FROM milestone_recording_sessions WHERE camera_id = $1 "
                + "ORDER BY created_at DESC LIMIT 1").execute(Tuple.of(cameraId)));
    }

    public Future<Optional<RecordingSession>> find(UUID id) {
        return one(pool.preparedQuery("SELECT * FROM milestone_recording_sessions WHERE id = $1").execute(Tuple.of(id)));
    }

    /** Every active session of every camera: few (at most one per camera), read by the scheduler each tick. */
    public Future<List<RecordingSession>> allActive() {
        return pool.query("SELECT * FROM milestone_recording_sessions WHERE status IN " + ACTIVE).execute()
                .map(RecordingSessionRepository::all);
    }

    public Future<Void> audit(RecordingSession s, String action, String actor, String instance, String detail,
                              Instant at) {
        return pool.preparedQuery("INSERT INTO recording_audit_log (session_id, camera_id, action, actor, instance_id, "
                        + "detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Tuple.of(s.id(), s.cameraId(), action, actor, instance, detail, utc(at))).mapEmpty();
    }

    private static Future<Optional<RecordingSession>> one(Future<RowSet<Row>> rows) {
        return rows.map(rs -> {
            var it = rs.iterator();
            return it.hasNext() ? Optional.of(map(it.next())) : Optional.empty();
        });
    }

    private static List<RecordingSession> all(RowSet<Row> rows) {
        List<RecordingSession> out = new ArrayList<>(rows.rowCount());
        rows.forEach(r -> out.add(map(r)));
        return out;
    }

    private static RecordingSession map(Row r) {
        return new RecordingSession(r.getUUID("id"), r.getUUID("camera_id"), r.getString("milestone_recording_id"),
                SessionState.of(r.getString("status")), instant(r.getOffsetDateTime("start_time")),
                instant(r.getOffsetDateTime("estimated_end_time")), instant(r.getOffsetDateTime("end_time")),
                r.getInteger("duration_seconds"), r.getString("triggered_by"), r.getString("stopped_by"),
                StopReason.of(r.getString("stop_reason")), r.getString("error_message"), r.getString("lease_owner"),
                instant(r.getOffsetDateTime("lease_expires_at")), r.getInteger("stop_attempts"),
                instant(r.getOffsetDateTime("renewed_at")), instant(r.getOffsetDateTime("checked_at")),
                r.getInteger("xprotect_timeout_seconds"), r.getString("recorder_uri"), r.getString("device_id"),
                instant(r.getOffsetDateTime("created_at")));
    }
}
