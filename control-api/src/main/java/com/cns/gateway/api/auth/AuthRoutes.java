package com.cns.gateway.api.auth;

import static com.cns.gateway.api.http.JsonResponses.send;

import com.cns.gateway.api.http.ApiError;
import com.cns.gateway.api.http.RequestReader;
import com.cns.gateway.api.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;

/**
 * AuthRoutes serves sign-in ({@code /api/v1/auth/login}, {@code refresh}, {@code logout}, {@code me}),
 * the admins' user management ({@code /api/v1/users}) and the audit trail ({@code /api/v1/audit}).
 * In AUTH_MODE=oidc users sign in at the identity provider: login, refresh, logout and users answer 404.
 */
public final class AuthRoutes {
    private final AuthService service;
    private final AuditLog audit;
    private final boolean local;

    public AuthRoutes(AuthService service, AuditLog audit, boolean local) {
        this.service = service;
        this.audit = audit;
        this.local = local;
    }

    public void mount(Routes auth, Routes users, Routes auditRoutes) {
        if (local) {
            auth.open(HttpMethod.POST, "/login", this::login);
            auth.open(HttpMethod.POST, "/refresh", this::refresh);
            auth.open(HttpMethod.POST, "/logout", this::logout);
            users.get("/", Role.ADMIN, this::list);
            users.audited(HttpMethod.POST, "/", Role.ADMIN, "user.create", this::create);
            users.get("/:username", Role.ADMIN, ctx -> service.get(ctx.pathParam("username"))
                    .onSuccess(u -> send(ctx, 200, AuthJson.user(u))).onFailure(ctx::fail));
            users.audited(HttpMethod.PUT, "/:username", Role.ADMIN, "user.update", this::update);
            users.audited(HttpMethod.DELETE, "/:username", Role.ADMIN, "user.delete", ctx ->
                    service.delete(ctx.pathParam("username")).onSuccess(v -> ctx.response().setStatusCode(204).end())
                            .onFailure(ctx::fail));
        }
        auth.get("/me", Role.VIEWER, ctx -> send(ctx, 200, AuthJson.principal(Principal.of(ctx))));
        auditRoutes.get("/", Role.ADMIN, this::audit);
    }

    private void login(RoutingContext ctx) {
        JsonObject b = RequestReader.body(ctx, false);
        String username = RequestReader.string(b, "username", 64);
        String password = RequestReader.string(b, "password", 1024);
        if (username == null || password == null) {
            throw ApiError.badRequest("Fields 'username' and 'password' are required");
        }
        service.login(username, password, address(ctx)).onSuccess(s -> send(ctx, 200, AuthJson.session(s)))
                .onFailure(ctx::fail);
    }

    private void refresh(RoutingContext ctx) {
        String token = refreshToken(ctx);
        service.refresh(token, address(ctx)).onSuccess(s -> send(ctx, 200, AuthJson.session(s))).onFailure(ctx::fail);
    }

    private void logout(RoutingContext ctx) {
        String token = refreshToken(ctx);
        service.logout(token, address(ctx)).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    private static String refreshToken(RoutingContext ctx) {
        String token = RequestReader.string(RequestReader.body(ctx, false), "refreshToken", 200);
        if (token == null) {
            throw ApiError.badRequest("Field 'refreshToken' is required: the one the login or the last refresh gave");
        }
        return token;
    }

    private void list(RoutingContext ctx) {
        int limit = RequestReader.queryInt(ctx, "limit", 100, 1, 1000);
        int offset = RequestReader.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        var page = service.list(limit, offset);
        var total = service.count();
        io.vertx.core.Future.all(page, total).onSuccess(v -> send(ctx, 200, AuthJson.users(page.result(),
                total.result(), limit, offset))).onFailure(ctx::fail);
    }

    private void create(RoutingContext ctx) {
        JsonObject b = RequestReader.body(ctx, false);
        Role role = role(b);
        AuthService.UserInput in = new AuthService.UserInput(RequestReader.string(b, "username", 64),
                RequestReader.string(b, "password", 1024), role == null ? Role.VIEWER : role, cameras(b, CameraScope.of(
                        List.of())));
        service.create(in).onSuccess(u -> {
            ctx.response().putHeader("Location", "/api/v1/users/" + u.username());
            send(ctx, 201, AuthJson.user(u));
        }).onFailure(ctx::fail);
    }

    private void update(RoutingContext ctx) {
        JsonObject b = RequestReader.body(ctx, false);
        String name = RequestReader.string(b, "username", 64);
        if (name != null && !name.equalsIgnoreCase(ctx.pathParam("username"))) {
            throw ApiError.badRequest("Field 'username' cannot be changed; create a new user instead");
        }
        for (String f : List.of("password", "role", "cameras")) {
            if (b.containsKey(f) && b.getValue(f) == null) {
                throw new ApiError(400, "Field '" + f + "' cannot be cleared (null); leave it out to keep it",
                        new JsonObject().put("field", f));
            }
        }
        service.update(ctx.pathParam("username"), new AuthService.UserInput(null,
                        RequestReader.string(b, "password", 1024), role(b), cameras(b, null)))
                .onSuccess(u -> send(ctx, 200, AuthJson.user(u))).onFailure(ctx::fail);
    }

    private static Role role(JsonObject b) {
        String r = RequestReader.string(b, "role", 16);
        Role role = Role.parse(r);
        if (r != null && role == null) {
            throw new ApiError(400, "Field 'role' must be one of viewer, operator, admin, got '" + r + "'",
                    new JsonObject().put("field", "role"));
        }
        return role;
    }

    private static CameraScope cameras(JsonObject b, CameraScope fallback) {
        Object v = b.getValue("cameras");
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof JsonArray a) || a.stream().anyMatch(e -> !(e instanceof String))) {
            throw new ApiError(400, "Field 'cameras' must be an array of strings: \"*\", camera sources or camera ids",
                    new JsonObject().put("field", "cameras"));
        }
        try {
            return CameraScope.of(a.stream().map(String.class::cast).toList());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "Field 'cameras': " + e.getMessage(), new JsonObject().put("field", "cameras"));
        }
    }

    private void audit(RoutingContext ctx) {
        var q = ctx.queryParams();
        Instant from = q.get("from") == null ? null : RequestReader.instant("from", q.get("from"));
        Instant to = q.get("to") == null ? null : RequestReader.instant("to", q.get("to"));
        String camera = q.get("camera");
        java.util.UUID cameraId = null;
        if (camera != null) {
            try {
                cameraId = java.util.UUID.fromString(camera);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("Query parameter 'camera' must be a camera id (UUID), got '" + camera + "'");
            }
        }
        int limit = RequestReader.queryInt(ctx, "limit", 100, 1, 1000);
        int offset = RequestReader.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        audit.find(new AuditLog.Query(from, to, q.get("user"), cameraId, q.get("action"), limit, offset))
                .onSuccess(rows -> send(ctx, 200, AuthJson.audit(rows, limit, offset))).onFailure(ctx::fail);
    }

    private String address(RoutingContext ctx) {
        return audit.clientAddress(ctx);
    }
}
