package com.cns.gateway.api.auth;

import static com.cns.gateway.api.db.PgTimes.instant;
import static com.cns.gateway.api.db.PgTimes.utc;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** UserRepository keeps the gateway's users in {@code gateway_users}; names are unique whatever their case. */
public final class UserRepository {
    private static final String COLUMNS = "id, username, password_hash, role, cameras, created_at, updated_at";
    private final Pool pool;

    public UserRepository(Pool pool) {
        this.pool = pool;
    }

    public Future<Optional<User>> find(String username) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM gateway_users WHERE lower(username) = lower($1)")
                .execute(Tuple.of(username)).map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(map(rows.iterator().next())));
    }

    public Future<Optional<User>> find(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM gateway_users WHERE id = $1")
                .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(map(rows.iterator().next())));
    }

    public Future<List<User>> list(int limit, int offset) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM gateway_users ORDER BY lower(username) LIMIT $1 OFFSET $2")
                .execute(Tuple.of(limit, offset)).map(rows -> {
                    List<User> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    public Future<Long> count() {
        return pool.query("SELECT count(*) FROM gateway_users").execute().map(r -> r.iterator().next().getLong(0));
    }

    /** Inserts the user; empty when the name is taken. */
    public Future<Optional<User>> insert(User u) {
        return pool.preparedQuery("INSERT INTO gateway_users (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7) "
                        + "ON CONFLICT DO NOTHING RETURNING " + COLUMNS)
                .execute(Tuple.of(u.id(), u.username(), u.passwordHash(), u.role().label(),
                        u.cameras().entries().toArray(new String[0]), utc(u.createdAt()), utc(u.updatedAt())))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
    }

    public Future<Optional<User>> update(User u) {
        return pool.preparedQuery("UPDATE gateway_users SET password_hash = $2, role = $3, cameras = $4, updated_at = $5 "
                        + "WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(u.id(), u.passwordHash(), u.role().label(), u.cameras().entries().toArray(new String[0]),
                        utc(u.updatedAt())))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
    }

    public Future<Boolean> delete(UUID id) {
        return pool.preparedQuery("DELETE FROM gateway_users WHERE id = $1").execute(Tuple.of(id))
                .map(r -> r.rowCount() > 0);
    }

    /** How many admins there are besides {@code id}: the last admin may not be removed or demoted. */
    public Future<Long> otherAdmins(UUID id) {
        return pool.preparedQuery("SELECT count(*) FROM gateway_users WHERE role = 'admin' AND id <> $1")
                .execute(Tuple.of(id)).map(r -> r.iterator().next().getLong(0));
    }

    private static User map(Row r) {
        String[] cameras = r.getArrayOfStrings("cameras");
        return new User(r.getUUID("id"), r.getString("username"), r.getString("password_hash"),
                Role.parse(r.getString("role")), CameraScope.of(Arrays.asList(cameras)),
                instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("updated_at")));
    }
}
