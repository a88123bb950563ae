package com.cns.gateway.api.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** AuthJson renders sign-in answers, users and audit rows. */
public final class AuthJson {
    private AuthJson() {
    }

    public static JsonObject session(AuthService.Session s) {
        return new JsonObject().put("accessToken", s.accessToken()).put("tokenType", "Bearer")
                .put("expiresIn", s.expiresInSeconds()).put("refreshToken", s.refreshToken())
                .put("user", principal(s.user().principal()));
    }

    /** The signed-in user as a login answers it: name, role and cameras. */
    public static JsonObject principal(Principal p) {
        return new JsonObject().put("username", p.username()).put("role", p.role().label())
                .put("cameras", new JsonArray(p.cameras().entries()));
    }

    public static JsonObject user(User u) {
        return principal(u.principal()).put("id", u.id().toString())
                .put("createdAt", u.createdAt().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("updatedAt", u.updatedAt().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    public static JsonObject users(List<User> users, long total, int limit, int offset) {
        JsonArray items = new JsonArray();
        users.forEach(u -> items.add(user(u)));
        return new JsonObject().put("users", items).put("total", total).put("limit", limit).put("offset", offset);
    }

    public static JsonObject audit(List<AuditLog.Entry> entries, int limit, int offset) {
        JsonArray items = new JsonArray();
        for (AuditLog.Entry e : entries) {
            items.add(new JsonObject().put("id", e.id()).put("at", e.at().truncatedTo(ChronoUnit.MILLIS).toString())
                    .put("user", e.username()).put("role", e.role()).put("action", e.action())
                    .put("cameraId", e.cameraId() == null ? null : e.cameraId().toString()).put("outcome", e.outcome())
                    .put("clientAddress", e.clientAddress()).put("detail", e.detail()).put("instance", e.instanceId()));
        }
        return new JsonObject().put("entries", items).put("limit", limit).put("offset", offset);
    }
}
