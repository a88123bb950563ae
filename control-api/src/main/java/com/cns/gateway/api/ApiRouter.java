package com.cns.gateway.api;

import com.cns.gateway.api.cameras.CameraRoutes;
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
 * error as JSON.
 */
public final class ApiRouter {
    private static final long MAX_BODY_BYTES = 256 * 1024;

    private ApiRouter() {
    }

    public static void mount(Vertx vertx, Router root, List<String> corsOrigins, CameraRoutes cameras,
                             MilestoneRoutes milestone, HealthRoutes health) {
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
        api.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false));
        api.route("/cameras*").subRouter(cameras.router(vertx));
        api.route("/milestone*").subRouter(milestone.router(vertx));
        api.route().failureHandler(failures);
        root.route("/api/v1*").subRouter(api);
        root.route("/health*").subRouter(health.router(vertx));
        // Unmatched paths and methods (404, 405) and oversized bodies (413) in the same JSON shape.
        for (int status : new int[] {404, 405, 413}) {
            root.errorHandler(status, failures);
        }
    }
}
