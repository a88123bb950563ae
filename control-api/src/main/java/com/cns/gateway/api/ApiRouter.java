package com.cns.gateway.api;

import com.cns.gateway.api.auth.Access;
import com.cns.gateway.api.auth.AuthRoutes;
import com.cns.gateway.api.auth.AuthenticationException;
import com.cns.gateway.api.auth.Role;
import com.cns.gateway.api.auth.TokenVerifier;
import com.cns.gateway.api.cameras.CameraRoutes;
import com.cns.gateway.api.discovery.MilestoneRoutes;
import com.cns.gateway.api.events.EventHub;
import com.cns.gateway.api.health.HealthRoutes;
import com.cns.gateway.api.http.ApiError;
import com.cns.gateway.api.http.ApiFailureHandler;
import com.cns.gateway.api.http.Routes;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.List;
import java.util.Set;

/**
 * ApiRouter mounts the CNS API of the plan's section 8 under {@code /api/v1}, one sub-router per
 * resource, the health checks under {@code /health}, the event WebSocket {@code /ws} and
 * {@code /metrics}, every route declared through {@link Routes} (so each passes the same access
 * handlers and is listed in one table), with one failure handler that renders every error as JSON.
 */
public final class ApiRouter {
    public static final long MAX_BODY_BYTES = 256 * 1024;

    /** What the API needs beyond its routes classes. */
    public record Parts(List<String> corsOrigins, Access access, EventHub events, Handler<RoutingContext> metrics,
                        boolean metricsAuth) {
    }

    private ApiRouter() {
    }

    /** Mounts everything on {@code root}; the answer lists every route declared. */
    public static Routes.Table mount(Vertx vertx, Router root, Parts parts, CameraRoutes cameras,
                                     MilestoneRoutes milestone, HealthRoutes health, AuthRoutes auth,
                                     com.cns.gateway.api.exports.ExportRoutes exports) {
        Routes.Table table = new Routes.Table();
        ApiFailureHandler failures = new ApiFailureHandler(table);
        Router api = Router.router(vertx);
        // Browsers (hls.js in the control room's dashboard) call the API from another origin.
        CorsHandler cors = CorsHandler.create().allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST,
                        HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS))
                .allowedHeaders(Set.of("Content-Type", "If-None-Match", "Range", "Authorization"))
                .exposedHeaders(Set.of("ETag", "X-Recording-Time", "Retry-After", "Content-Length", "WWW-Authenticate"))
                .maxAgeSeconds(600);
        if (!parts.corsOrigins().contains("*")) {
            cors.addOrigins(parts.corsOrigins());
        }
        api.route().handler(cors);
        api.route().handler(ApiRouter::decodableQuery);
        api.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false));
        Access access = parts.access();
        api.route("/cameras*").subRouter(cameras.router(vertx, table, access));
        api.route("/milestone*").subRouter(milestone.router(vertx, table, access));
        api.route("/exports*").subRouter(exports.router(vertx, table, access));
        Routes authRoutes = new Routes(Router.router(vertx), "/api/v1/auth", table, access, false);
        Routes userRoutes = new Routes(Router.router(vertx), "/api/v1/users", table, access, false);
        Routes auditRoutes = new Routes(Router.router(vertx), "/api/v1/audit", table, access, false);
        auth.mount(authRoutes, userRoutes, auditRoutes);
        api.route("/auth*").subRouter(authRoutes.router());
        api.route("/users*").subRouter(userRoutes.router());
        api.route("/audit*").subRouter(auditRoutes.router());
        api.route().failureHandler(failures);
        root.route("/api/v1*").subRouter(api);
        root.route("/health*").subRouter(health.router(vertx, table));
        Routes top = new Routes(root, "", table, access, false);
        // Browsers cannot set headers on a WebSocket: the token may come as ?access_token= instead.
        top.open(HttpMethod.GET, "/ws", ctx -> events(ctx, access.tokens(), parts.events())).failureHandler(failures);
        if (parts.metrics() != null) {
            (parts.metricsAuth() ? top.get("/metrics", Role.VIEWER, parts.metrics())
                    : top.open(HttpMethod.GET, "/metrics", parts.metrics())).failureHandler(failures);
        }
        // Unmatched paths and methods (404, 405) and oversized bodies (413) in the same JSON shape.
        for (int status : new int[] {404, 405, 413}) {
            root.errorHandler(status, failures);
        }
        return table;
    }

    /** A query string that is not valid percent-encoding answers 400 before any handler reads it. */
    static void decodableQuery(RoutingContext ctx) {
        try {
            ctx.queryParams();
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("The query string is not valid percent-encoding: " + e.getMessage());
        }
        ctx.next();
    }

    /**
     * {@code /ws}: the event stream, authenticated at the upgrade by a bearer header or an
     * {@code access_token} query parameter; a request that is not a WebSocket upgrade answers 400.
     */
    private static void events(RoutingContext ctx, TokenVerifier tokens, EventHub events) {
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
            throw ApiError.badRequest("/ws is a WebSocket: connect with an 'Upgrade: websocket' request");
        }
        String header = ctx.request().getHeader("Authorization");
        String token;
        try {
            token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                    : ctx.queryParams().get("access_token");
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("The query string is not valid percent-encoding: " + e.getMessage());
        }
        if (token == null || token.isEmpty()) {
            throw AuthenticationException.missing("Sign in: open /ws with 'Authorization: Bearer <token>' or "
                    + "?access_token=<token>");
        }
        ctx.request().pause();
        tokens.verify(token).compose(who -> {
            ctx.request().resume();
            return ctx.request().toWebSocket().map(ws -> {
                events.register(ws, who);
                return (Void) null;
            });
        }).onFailure(e -> {
            ctx.request().resume();
            ctx.fail(e);
        });
    }
}
