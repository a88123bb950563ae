package com.cns.gateway.api.health;

import com.cns.gateway.api.http.JsonResponses;
import com.cns.gateway.milestone.XProtectHealth;
import com.cns.gateway.transcoder.GStreamerRuntime;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import com.cns.gateway.api.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/**
 * HealthRoutes answers {@code /health/live} (the process serves HTTP) and {@code /health/ready}: 200
 * once the database is migrated and answers, with each check named. XProtect and the transcoder are
 * reported as {@code up} or {@code degraded} but never make the instance unready: cached answers
 * still serve during an XProtect outage, so a load balancer must keep sending traffic.
 */
public final class HealthRoutes {
    private final Pool pool;
    private final String schemaVersion;
    private final XProtectHealth xprotect;
    private final GStreamerRuntime.Status transcoder;

    public HealthRoutes(Pool pool, String schemaVersion, XProtectHealth xprotect, GStreamerRuntime.Status transcoder) {
        this.pool = pool;
        this.schemaVersion = schemaVersion;
        this.xprotect = xprotect;
        this.transcoder = transcoder;
    }

    public Router router(Vertx vertx, Routes.Table table) {
        Routes r = new Routes(Router.router(vertx), "/health", table, null, false);
        r.open(HttpMethod.GET, "/live", ctx -> send(ctx, 200, new JsonObject().put("status", "up")));
        r.open(HttpMethod.GET, "/ready", this::ready);
        return r.router();
    }

    private static final long DATABASE_TIMEOUT_MS = 2000;

    private void ready(RoutingContext ctx) {
        JsonObject checks = new JsonObject()
                .put("migrations", new JsonObject().put("status", "up").put("version", schemaVersion))
                .put("xprotect", xprotect.toJson())
                .put("transcoder", transcoder.ready()
                        ? new JsonObject().put("status", "up").put("version", transcoder.version())
                        : new JsonObject().put("status", "degraded").put("error", transcoder.error()));
        // Bounded: while PostgreSQL is down the pool may wait long for a connection, and a readiness
        // probe that hangs says nothing to a load balancer.
        pool.query("SELECT 1").execute().timeout(DATABASE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .onComplete(ar -> {
            checks.put("database", ar.succeeded() ? new JsonObject().put("status", "up")
                    : new JsonObject().put("status", "down").put("error", ar.cause().getMessage()));
            send(ctx, ar.succeeded() ? 200 : 503, new JsonObject()
                    .put("status", ar.succeeded() ? "up" : "down").put("checks", checks));
        });
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().putHeader("Cache-Control", "no-store");
        JsonResponses.send(ctx, status, body);
    }
}
