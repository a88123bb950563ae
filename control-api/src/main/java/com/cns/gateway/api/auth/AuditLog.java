package com.cns.gateway.api.auth;

import static com.cns.gateway.api.db.PgTimes.instant;
import static com.cns.gateway.api.db.PgTimes.utc;

import com.cns.gateway.api.http.ClientAddresses;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * AuditLog keeps one row per sensitive action in {@code gateway_audit_log}: who (name and role), what
 * (an action such as {@code recording.start}), on which camera, when, the outcome ({@code success},
 * {@code failure}, {@code denied}), from which address. A row that cannot be written is logged,
 * never allowed to fail the request it describes.
 */
public final class AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

    /** One audited action. */
    public record Entry(long id, Instant at, String username, String role, String action, UUID cameraId,
                        String outcome, String clientAddress, String detail, String instanceId) {
    }

    /** What {@code GET /api/v1/audit} filters on; null: any. */
    public record Query(Instant from, Instant to, String username, UUID cameraId, String action, int limit,
                        int offset) {
    }

    private final Pool pool;
    private final String instanceId;
    private final Clock clock;
    private final ClientAddresses addresses;

    /** {@code addresses}: how a request's client address is told (behind trusted proxies too). */
    public AuditLog(Pool pool, String instanceId, Clock clock, ClientAddresses addresses) {
        this.pool = pool;
        this.instanceId = instanceId;
        this.clock = clock;
        this.addresses = addresses;
    }

    /** The request's client address, as audit rows record it. */
    public String clientAddress(RoutingContext ctx) {
        return addresses.of(ctx);
    }

    /** Records an action of the request's principal (or of {@code username} when none is bound yet). */
    public Future<Void> record(RoutingContext ctx, String username, Role role, String action, UUID cameraId,
                               String outcome, String detail) {
        return record(username, role, action, cameraId, outcome, addresses.of(ctx), detail);
    }

    public Future<Void> record(String username, Role role, String action, UUID cameraId, String outcome,
                               String clientAddress, String detail) {
        return pool.preparedQuery("INSERT INTO gateway_audit_log (at, username, role, action, camera_id, outcome, "
                        + "client_address, detail, instance_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Tuple.of(utc(clock.instant()), truncate(username, 255), role == null ? null : role.label(),
                        action, cameraId, outcome, clientAddress, truncate(detail, 2000)).addValue(instanceId))
                .<Void>mapEmpty()
                .recover(e -> {
                    LOG.warning("Audit row for " + action + " by " + username + " not written: " + e.getMessage());
                    return Future.succeededFuture();
                });
    }

    public Future<List<Entry>> find(Query q) {
        return pool.preparedQuery("SELECT id, at, username, role, action, camera_id, outcome, client_address, detail, "
                        + "instance_id FROM gateway_audit_log WHERE ($1::timestamptz IS NULL OR at >= $1) "
                        + "AND ($2::timestamptz IS NULL OR at < $2) AND ($3::varchar IS NULL OR lower(username) = lower($3)) "
                        + "AND ($4::uuid IS NULL OR camera_id = $4) AND ($5::varchar IS NULL OR action = $5 "
                        + "OR action LIKE $5 || '.%') ORDER BY at DESC, id DESC LIMIT $6 OFFSET $7")
                .execute(Tuple.of(utc(q.from()), utc(q.to()), q.username(), q.cameraId(), q.action(), q.limit(),
                        q.offset()))
                .map(rows -> {
                    List<Entry> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Entry(r.getLong("id"), instant(r.getOffsetDateTime("at")), r.getString("username"),
                                r.getString("role"), r.getString("action"), r.getUUID("camera_id"),
                                r.getString("outcome"), r.getString("client_address"), r.getString("detail"),
                                r.getString("instance_id")));
                    }
                    return out;
                });
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
