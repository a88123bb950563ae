package com.cns.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HttpServerVerticle is one instance of the gateway's HTTP server on its own event loop. Several
 * instances listen on the same port, and Vert.x spreads connections across them, so the API uses
 * every core. Port 0 (tests) becomes -1, Vert.x's way of sharing one random port among instances.
 */
final class HttpServerVerticle extends VerticleBase {
    private final Router router;
    private final String host;
    private final int port;
    private final AtomicInteger bound;

    HttpServerVerticle(Router router, String host, int port, AtomicInteger bound) {
        this.router = router;
        this.host = host;
        this.port = port;
        this.bound = bound;
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer().requestHandler(router).listen(port == 0 ? -1 : port, host)
                .onSuccess(s -> bound.set(s.actualPort()));
    }
}
