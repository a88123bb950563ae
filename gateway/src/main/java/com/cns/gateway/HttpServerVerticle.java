package com.cns.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
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
        return vertx.createHttpServer(options()).requestHandler(router).listen(port == 0 ? -1 : port, host)
                .onSuccess(s -> bound.set(s.actualPort()));
    }

    /**
     * HTTP/1.1 only: no h2c upgrade. With the upgrade, about one in ten fresh connections whose first
     * answer was large (a segment, the scrape) reached Java's HTTP client garbled ("Frame type(48)
     * length(…) exceeds MAX_FRAME_SIZE"); Vert.x's maintainers advise against h2c upgrade in production.
     * Browsers never use h2c; HTTP/2 belongs to a TLS-terminating proxy in front.
     */
    static HttpServerOptions options() {
        return new HttpServerOptions().setHttp2ClearTextEnabled(false);
    }
}
