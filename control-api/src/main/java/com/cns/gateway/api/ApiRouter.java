package com.cns.gateway.api;

import com.cns.gateway.api.auth.CameraScope;
import com.cns.gateway.api.auth.Principal;
import com.cns.gateway.api.auth.Role;
import com.cns.gateway.api.cameras.CameraRoutes;
import com.cns.gateway.api.events.EventHub;
import com.cns.gateway.api.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import com.cns.gateway.api.discovery.MilestoneRoutes;
import com.cns.gateway.api.health.HealthRoutes;
import com.cns.gateway.api.http.ApiFailureHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.List;
import java.util.Set;

/**
 * ApiRouter mounts the CNS API of the plan's section 8 under {@code /api/v1}, one sub-router per
 * resource, and the health checks under {@code /health}, with one failure handler that renders every
 * error as JSON, and the event WebSocket {@code /ws}, so that every route passes the same handlers.
 */
public final class ApiRouter {
    private static final long MAX_BODY_BYTES = 256 * 1024;

    private ApiRouter() {
    }

    /** {@code /ws}: the event stream; a request that is not a WebSocket upgrade answers 400, not a logged failure. */
    private static void events(RoutingContext ctx, EventHub events) {
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
            throw ApiError.badRequest("/ws is a WebSocket: connect with an 'Upgrade: websocket' request");
        }
        ctx.request().toWebSocket().onSuccess(events::register).onFailure(ctx::fail);
    }

    public static void mount(Vertx vertx, Router root, List<String> corsOrigins, CameraRoutes cameras,
                             MilestoneRoutes milestone, HealthRoutes health, EventHub events) {
        ApiFailureHandler failures = new ApiFailureHandler();
        Router api = Router.router(vertx);
        // Browsers (hls.js in the control room's dashboard) call the API from another origin.
        CorsHandler cors = CorsHandler.create().allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST,
                        HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS))
                .allowedHeaders(Set.of("Content-Type", "If-None-Match", "Range", "Authorization"))
                .exposedHeaders(Set.of("ETag", "X-Recording-Time", "Retry-After", "Content-Length")).maxAgeSeconds(600);
        if (!corsOrigins.contains("*")) {
            cors.addOrigins(corsOrigins);
        }
        api.route().handler(cors);
        // Until authentication lands, every request acts as one anonymous admin, bound in this one place.
        Handler<RoutingContext> principal = ctx -> {
            new Principal("anonymous", Role.ADMIN, CameraScope.ALL).bind(ctx);
            ctx.next();
        };
        api.route().handler(principal);
        api.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false));
        api.route("/cameras*").subRouter(cameras.router(vertx));
        api.route("/milestone*").subRouter(milestone.router(vertx));
        api.route().failureHandler(failures);
        root.route("/api/v1*").subRouter(api);
        root.route("/health*").subRouter(health.router(vertx));
        root.get("/ws").handler(principal).handler(ctx -> events(ctx, events)).failureHandler(failures);
        // Unmatched paths and methods (404, 405) and oversized bodies (413) in the same JSON shape.
        for (int status : new int[] {404, 405, 413}) {
            root.errorHandler(status, failures);
        }
    }
}
