package com.cns.xprotect.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * RecorderServer is one simulated recording server listening on its own port, the port its
 * {@code webServerUri} advertises. It can be stopped and started again on the same port to
 * simulate a recorder outage.
 */
final class RecorderServer {
    private final Vertx vertx;
    private final SimulatedSite.Recorder recorder;
    private final HttpServerOptions options;
    private final String advertisedHost;
    private HttpServer server;

    RecorderServer(Vertx vertx, SimulatedSite.Recorder recorder, HttpServerOptions options, String advertisedHost) {
        this.vertx = vertx;
        this.recorder = recorder;
        this.options = options;
        this.advertisedHost = advertisedHost;
    }

    synchronized Future<Void> start() {
        if (server != null) {
            return Future.succeededFuture();
        }
        HttpServer s = vertx.createHttpServer(options).requestHandler(req -> req.response().setStatusCode(404)
                .putHeader("Content-Type", "text/plain").end("Not found: " + req.path()));
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
