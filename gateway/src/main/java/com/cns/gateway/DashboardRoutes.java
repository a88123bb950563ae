package com.cns.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.Logger;

/**
 * DashboardRoutes serves the built dashboard (the {@code dashboard} module's {@code webroot/} on the
 * class path) at {@code /}: Vite's hashed assets under {@code /assets/} cached for a year as
 * immutable, {@code index.html} never cached, and every other GET that is not the API, health,
 * {@code /ws} or {@code /metrics} answered with {@code index.html}, so the app's own routes
 * ({@code /cameras/…}) survive a reload. The pages are public, like any sign-in page; every call
 * they make is authenticated.
 */
final class DashboardRoutes {
    private static final Logger LOG = Logger.getLogger(DashboardRoutes.class.getName());

    private DashboardRoutes() {
    }

    static void mount(Router root) {
        Buffer index = index();
        if (index == null) {
            LOG.warning("No dashboard on the class path (webroot/index.html): / answers 404");
            return;
        }
        // The route's prefix is taken off the path: /assets/x.js is webroot/assets/x.js.
        root.get("/assets/*").handler(StaticHandler.create("webroot/assets").setCachingEnabled(true)
                .setMaxAgeSeconds(365L * 24 * 3600).setSendVaryHeader(false));
        // Only paths outside the API's: a fallback that matched them would turn its 404s and 405s into each other.
        root.routeWithRegex(io.vertx.core.http.HttpMethod.GET, "^/(?!api/|health(/|$)|ws$|metrics$|assets/).*")
                .handler(ctx -> page(ctx, index));
    }

    private static void page(RoutingContext ctx, Buffer index) {
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff").putHeader("X-Frame-Options", "DENY").end(index);
    }

    private static Buffer index() {
        try (InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream("webroot/index.html")) {
            return in == null ? null : Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            return null;
        }
    }
}
