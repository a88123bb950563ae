package com.cns.gateway;

import com.cns.gateway.config.HttpSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HttpServerVerticle is one instance of the gateway's HTTP server on its own event loop. Several
 * instances listen on the same port, and Vert.x spreads connections across them, so the API uses
 * every core. Port 0 (tests) becomes -1, Vert.x's way of sharing one random port among instances.
 * Slow clients are let go: a connection idle for {@code HTTP_IDLE_TIMEOUT} is closed, and so is one
 * that has not sent a whole request head within {@code HTTP_HEADER_TIMEOUT} of connecting (Vert.x has
 * no header timeout of its own, and idle time alone lets a client that sends a byte now and then hold
 * a connection for ever).
 */
final class HttpServerVerticle extends VerticleBase {
    private final Router router;
    private final HttpSettings settings;
    private final AtomicInteger bound;
    /** Connections of this event loop that have not yet sent a whole request head. */
    private final Set<HttpConnection> waiting = new HashSet<>();

    HttpServerVerticle(Router router, HttpSettings settings, AtomicInteger bound) {
        this.router = router;
        this.settings = settings;
        this.bound = bound;
    }

    @Override
    public Future<?> start() {
        long headerMs = settings.headerTimeout().toMillis();
        return vertx.createHttpServer(options(settings))
                .connectionHandler(c -> {
                    waiting.add(c);
                    c.closeHandler(v -> waiting.remove(c));
                    vertx.setTimer(headerMs, t -> {
                        if (waiting.remove(c)) {
                            c.close();
                        }
                    });
                })
                .requestHandler(req -> {
                    waiting.remove(req.connection());
                    if (!validEscapes(req.path()) || (req.query() != null && !validEscapes(req.query()))) {
                        // Vert.x Web's router would log a bad path escape at SEVERE before answering.
                        req.response().setStatusCode(400).putHeader("Content-Type", "application/json; charset=utf-8")
                                .end("{\"error\":\"The " + (validEscapes(req.path()) ? "query string" : "path")
                                        + " is not valid percent-encoding: every % must be followed by two "
                                        + "hexadecimal digits\"}");
                        return;
                    }
                    router.handle(req);
                })
                .listen(settings.port() == 0 ? -1 : settings.port(), settings.host())
                .onSuccess(s -> bound.set(s.actualPort()));
    }

    /** Whether every {@code %} of the path starts a two-digit hexadecimal escape. */
    static boolean validEscapes(String path) {
        if (path == null) {
            return false;
        }
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0
                    || Character.digit(path.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * HTTP/1.1 only: no h2c upgrade. With the upgrade, about one in ten fresh connections whose first
     * answer was large (a segment, the scrape) reached Java's HTTP client garbled ("Frame type(48)
     * length(…) exceeds MAX_FRAME_SIZE"); Vert.x's maintainers advise against h2c upgrade in production.
     * Browsers never use h2c; HTTP/2 belongs to a TLS-terminating proxy in front. With
     * {@code HTTP_TLS_CERT_FILE} and {@code HTTP_TLS_KEY_FILE} the gateway speaks HTTPS itself.
     */
    static HttpServerOptions options(HttpSettings settings) {
        HttpServerOptions o = new HttpServerOptions().setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) settings.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        if (settings.tls()) {
            o.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(settings.tlsCertFile().get().toString())
                    .setKeyPath(settings.tlsKeyFile().get().toString()));
        }
        return o;
    }
}
