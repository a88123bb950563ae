package com.cns.gateway.api.http;

import com.cns.gateway.api.auth.Access;
import com.cns.gateway.api.auth.Role;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Routes is how every route of the gateway is declared: method, path, the role it needs (none: open
 * to all) and the audit action it records. Declaring a route here puts the access handlers in front
 * of it and lists it in the {@link Table}, the one route list that the security tests are generated
 * from, so a route cannot be added without its place in the access table.
 */
public final class Routes {
    /** One declared route; {@code role} null: open without a token. */
    public record Spec(HttpMethod method, String path, Role role, String action, boolean signedUrls) {
    }

    /** Every route declared, in order. */
    public static final class Table {
        private final List<Spec> specs = new CopyOnWriteArrayList<>();

        public List<Spec> specs() {
            return List.copyOf(specs);
        }

        /** The methods declared on the routes whose template matches {@code path}, for a 405's {@code Allow}. */
        public List<String> methodsOf(String path) {
            String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
            java.util.Set<String> out = new java.util.TreeSet<>();
            for (Spec s : specs) {
                String template = s.path().endsWith("/") ? s.path().substring(0, s.path().length() - 1) : s.path();
                if (p.matches(template.replaceAll(":[A-Za-z]+", "[^/]+"))) {
                    out.add(s.method().name());
                }
            }
            return List.copyOf(out);
        }
    }

    private final Router router;
    private final String prefix;
    private final Table table;
    private final Access access;
    private final boolean cameraScoped;

    public Routes(Router router, String prefix, Table table, Access access, boolean cameraScoped) {
        this.router = router;
        this.prefix = prefix;
        this.table = table;
        this.access = access;
        this.cameraScoped = cameraScoped;
    }

    public Router router() {
        return router;
    }

    public Route get(String path, Role role, Handler<RoutingContext> h) {
        return add(HttpMethod.GET, path, role, null, h);
    }

    public Route post(String path, Role role, Handler<RoutingContext> h) {
        return add(HttpMethod.POST, path, role, null, h);
    }

    public Route put(String path, Role role, Handler<RoutingContext> h) {
        return add(HttpMethod.PUT, path, role, null, h);
    }

    public Route delete(String path, Role role, Handler<RoutingContext> h) {
        return add(HttpMethod.DELETE, path, role, null, h);
    }

    /** A route whose every call leaves an audit row named {@code action}. */
    public Route audited(HttpMethod method, String path, Role role, String action, Handler<RoutingContext> h) {
        return add(method, path, role, action, h);
    }

    /** A route anyone may call without a token (sign-in, health). */
    public Route open(HttpMethod method, String path, Handler<RoutingContext> h) {
        return add(method, path, null, null, h);
    }

    private Route add(HttpMethod method, String path, Role role, String action, Handler<RoutingContext> h) {
        // Playback a stock player fetches (playlists and segments) may carry a signature instead of a token.
        boolean signed = path.endsWith("/playback/stream") || path.contains("/playback/hls/");
        table.specs.add(new Spec(method, prefix + path, role, action, signed));
        Route r = router.route(method, path);
        if (role != null) {
            r.handler(access.authenticate(signed, path.contains("/playback/") ? "media" : "api"));
            if (cameraScoped && path.startsWith("/:id")) {
                r.handler(access.cameraInScope());
            }
            r.handler(access.require(role, action));
            if (action != null) {
                r.handler(access.audited(action));
            }
        }
        return r.handler(h);
    }
}
