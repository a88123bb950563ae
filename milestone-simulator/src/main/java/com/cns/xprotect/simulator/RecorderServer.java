package com.cns.xprotect.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * RecorderServer is one simulated recording server listening on its own port, the port its
 * {@code webServerUri} advertises, serving its RecorderCommandService. It can be stopped and started again on the same port to
 * simulate a recorder outage.
 */
final class RecorderServer {
    private final Vertx vertx;
    private final SimulatedSite.Recorder recorder;
    private final HttpServerOptions options;
    private final String advertisedHost;
    private final Router router;
    private HttpServer server;

    RecorderServer(Vertx vertx, SimulatedSite.Recorder recorder, HttpServerOptions options, String advertisedHost,
                   RecorderCommandService commands, List<Handler<RoutingContext>> before) {
        this.vertx = vertx;
        this.recorder = recorder;
        this.options = options;
        this.advertisedHost = advertisedHost;
        this.router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(1 << 20));
        before.forEach(h -> router.route().handler(h));
        commands.mount(router);
        router.route().handler(ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain")
                .end("Not found: " + ctx.request().path()));
    }

    synchronized Future<Void> start() {
        if (server != null) {
            return Future.succeededFuture();
        }
        HttpServer s = vertx.createHttpServer(options).requestHandler(router);
        return s.listen(recorder.port, options.getHost()).map(bound -> {
            synchronized (this) {
                server = bound;
            }
            recorder.port = bound.actualPort();
            recorder.webServerUri = (options.isSsl() ? "https" : "http") + "://" + advertisedHost + ":"
                    + bound.actualPort() + "/";
            return null;
        });
    }

    synchronized Future<Void> stop() {
        HttpServer s = server;
        server = null;
        return s == null ? Future.succeededFuture() : s.close();
    }

    synchronized boolean running() {
        return server != null;
    }
}
