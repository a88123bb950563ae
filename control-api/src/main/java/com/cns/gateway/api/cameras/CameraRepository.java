package com.cns.gateway.api.cameras;

import static com.cns.gateway.api.db.PgTimes.instant;
import static com.cns.gateway.api.db.PgTimes.utc;

import com.cns.gateway.api.auth.CameraScope;
import com.cns.gateway.recordingindex.CameraAddress;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** CameraRepository keeps imported cameras in the {@code cameras} table. */
public final class CameraRepository {
    private static final String COLUMNS = "id, name, name_ar, source, rtsp_url, status, ptz_enabled, recording_server, "
            + "milestone_device_id, milestone_server, last_milestone_sync, milestone_metadata, location, created_at, "
            + "updated_at";
    /** PostgreSQL's unique_violation. */
    public static final String UNIQUE_VIOLATION = "23505";

    private final Pool pool;
    /** Cameras seen in the last seconds: a player asks a segment every few seconds, PostgreSQL needn't answer each. */
    private final AsyncCache<UUID, CameraAddress> recentAddresses = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofSeconds(10)).buildAsync();

    private final AsyncCache<UUID, Optional<String>> recentSources = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofSeconds(10)).buildAsync();

    public CameraRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Where the camera's video is, from the last 10 s' lookups or PostgreSQL (so a deleted camera's
     * segments may serve 10 s more); a {@link com.cns.gateway.api.errors.CameraNotFoundException} for an unknown id.
     */
    public Future<CameraAddress> address(UUID id) {
        return Future.fromCompletionStage(recentAddresses.get(id, (k, executor) -> require(k).map(Camera::address)
                .toCompletionStage().toCompletableFuture()));
    }

    /** Drops the camera's cached address, so that the next lookup reads where it records now. */
    public void forget(UUID id) {
        recentAddresses.synchronous().invalidate(id);
    }

    public Future<Camera> insert(Camera c) {
        return pool.preparedQuery("INSERT INTO cameras (name, name_ar, source, rtsp_url, status, ptz_enabled, "
                        + "recording_server, milestone_device_id, milestone_server, last_milestone_sync, "
                        + "milestone_metadata, location) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                        + "RETURNING " + COLUMNS)
                .execute(Tuple.of(c.name(), c.nameAr(), c.source().name(), c.rtspUrl(), c.status().name(),
                        c.ptzEnabled(), c.recordingServer(), c.milestoneDeviceId()).addValue(c.milestoneServer())
                        .addValue(utc(c.lastMilestoneSync())).addValue(c.milestoneMetadata())
                        .addValue(c.location() == null ? null : CameraJson.location(c.location())))
                .map(rows -> map(rows.iterator().next()));
    }

    /** Writes every mutable column of {@code c}; answers empty if it was deleted meanwhile. */
    public Future<Optional<Camera>> update(Camera c) {
        return pool.preparedQuery("UPDATE cameras SET name = $2, name_ar = $3, source = $4, rtsp_url = $5, "
                        + "status = $6, ptz_enabled = $7, recording_server = $8, milestone_server = $9, "
                        + "last_milestone_sync = $10, milestone_metadata = $11, location = $12, updated_at = now() "
                        + "WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(c.id(), c.name(), c.nameAr(), c.source().name(), c.rtspUrl(), c.status().name(),
                        c.ptzEnabled(), c.recordingServer()).addValue(c.milestoneServer())
                        .addValue(utc(c.lastMilestoneSync())).addValue(c.milestoneMetadata())
                        .addValue(c.location() == null ? null : CameraJson.location(c.location())))
                .map(CameraRepository::first);
    }

    public Future<Optional<Camera>> find(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM cameras WHERE id = $1").execute(Tuple.of(id))
                .map(CameraRepository::first);
    }

    /** The camera, or a {@link com.cns.gateway.api.errors.CameraNotFoundException}. */
    public Future<Camera> require(UUID id) {
        return find(id).compose(c -> c.map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(new com.cns.gateway.api.errors.CameraNotFoundException(id))));
    }

    public Future<Optional<Camera>> findByDeviceId(String deviceId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM cameras WHERE milestone_device_id = $1")
                .execute(Tuple.of(deviceId)).map(CameraRepository::first);
    }

    /** A page of the cameras {@code scope} holds, oldest first, optionally of one source. */
    public Future<List<Camera>> list(CameraSource source, CameraScope scope, int limit, int offset) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM cameras WHERE ($1::varchar IS NULL OR source = $1) "
                        + "AND " + IN_SCOPE + " ORDER BY created_at, id LIMIT $5 OFFSET $6")
                .execute(scoped(source, scope).addValue(limit).addValue(offset))
                .map(CameraRepository::all);
    }

    public Future<Long> count(CameraSource source, CameraScope scope) {
        return pool.preparedQuery("SELECT count(*) FROM cameras WHERE ($1::varchar IS NULL OR source = $1) AND " + IN_SCOPE)
                .execute(scoped(source, scope))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private static final String IN_SCOPE = "($2::boolean OR source = ANY($3::varchar[]) OR id = ANY($4::uuid[]))";

    private static Tuple scoped(CameraSource source, CameraScope scope) {
        return Tuple.of(source == null ? null : source.name(), scope.all(), scope.sources().toArray(new String[0]),
                scope.ids().toArray(new UUID[0]));
    }

    /**
     * A camera's source, empty when there is no such camera, from the last 10 s' lookups or PostgreSQL:
     * what the permission check of every camera route needs, a player's segments included.
     */
    public Future<Optional<String>> source(UUID id) {
        return Future.fromCompletionStage(recentSources.get(id, (k, executor) -> find(k)
                .map(c -> c.map(x -> x.source().name())).toCompletionStage().toCompletableFuture()));
    }

    /** All cameras imported from XProtect, for a bulk sync. */
    public Future<List<Camera>> allFromMilestone() {
        return pool.query("SELECT " + COLUMNS + " FROM cameras WHERE milestone_device_id IS NOT NULL ORDER BY created_at")
                .execute().map(CameraRepository::all);
    }

    public Future<Set<String>> importedDeviceIds() {
        return pool.query("SELECT milestone_device_id FROM cameras WHERE milestone_device_id IS NOT NULL").execute()
                .map(rows -> {
                    Set<String> ids = new HashSet<>();
                    rows.forEach(r -> ids.add(r.getString(0).toLowerCase()));
                    return ids;
                });
    }

    /** Deletes a camera unless it has an active recording session; answers whether it was deleted. */
    public Future<Boolean> deleteUnlessRecording(UUID id) {
        return pool.preparedQuery("DELETE FROM cameras c WHERE c.id = $1 AND NOT EXISTS (SELECT 1 FROM "
                        + "milestone_recording_sessions s WHERE s.camera_id = c.id "
                        + "AND s.status IN ('starting', 'recording', 'stopping'))")
                .execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    /** Recorder URIs of imported cameras, as stored at their last sync, for the status refresher. */
    public Future<List<String>> recorderUris() {
        return pool.query("SELECT DISTINCT milestone_metadata->>'recordingServerUri' FROM cameras "
                        + "WHERE milestone_metadata->>'recordingServerUri' IS NOT NULL").execute()
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out;
                });
    }

    /**
     * Sets the status of enabled cameras on one recorder, leaving ERROR (device gone) alone; answers how
     * many changed.
     */
    public Future<Integer> updateStatusByRecorder(String recorderUri, CameraStatus status) {
        return pool.preparedQuery("UPDATE cameras SET status = $2, updated_at = now() "
                        + "WHERE milestone_metadata->>'recordingServerUri' = $1 AND status <> 'ERROR' AND status <> $2 "
                        + "AND coalesce((milestone_metadata->>'enabled')::boolean, true)")
                .execute(Tuple.of(recorderUri, status.name())).map(RowSet::rowCount);
    }

    private static Optional<Camera> first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(map(it.next())) : Optional.empty();
    }

    private static List<Camera> all(RowSet<Row> rows) {
        List<Camera> out = new ArrayList<>(rows.rowCount());
        rows.forEach(r -> out.add(map(r)));
        return out;
    }

    private static Camera map(Row r) {
        JsonObject loc = (JsonObject) r.getJson("location");
        return new Camera(r.getUUID("id"), r.getString("name"), r.getString("name_ar"),
                CameraSource.valueOf(r.getString("source")), r.getString("rtsp_url"),
                CameraStatus.valueOf(r.getString("status")), r.getBoolean("ptz_enabled"),
                r.getString("recording_server"), r.getString("milestone_device_id"), r.getString("milestone_server"),
                instant(r.getOffsetDateTime("last_milestone_sync")), (JsonObject) r.getJson("milestone_metadata"),
                loc == null ? null : new CameraLocation(loc.getDouble("latitude"), loc.getDouble("longitude"),
                        loc.getString("address")),
                instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("updated_at")));
    }
}
