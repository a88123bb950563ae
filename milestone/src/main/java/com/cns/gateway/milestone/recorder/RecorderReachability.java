package com.cns.gateway.milestone.recorder;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RecorderReachability tells whether a recording server accepts TCP connections on its web server
 * port (the port of both its SOAP service and ImageServer). This is what a camera's ONLINE/OFFLINE
 * status rests on. Answers are kept for a short while per host and port, and concurrent probes of
 * one recorder share one connection attempt.
 */
public final class RecorderReachability {
    private record Answer(boolean reachable, Instant at) {
    }

    private final NetClient client;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, Future<Boolean>> inFlight = new ConcurrentHashMap<>();

    public RecorderReachability(Vertx vertx, Duration connectTimeout, Duration ttl, Clock clock) {
        this.client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) connectTimeout.toMillis()).setMetricsName("recorder-probe"));
        this.ttl = ttl;
        this.clock = clock;
    }

    public Future<Boolean> reachable(URI webServerUri) {
        if (webServerUri == null || webServerUri.getHost() == null) {
            return Future.succeededFuture(false);
        }
        int port = webServerUri.getPort() > 0 ? webServerUri.getPort()
                : "https".equalsIgnoreCase(webServerUri.getScheme()) ? 443 : 80;
        String key = webServerUri.getHost() + ":" + port;
        Answer a = answers.get(key);
        if (a != null && clock.instant().isBefore(a.at().plus(ttl))) {
            return Future.succeededFuture(a.reachable());
        }
        return inFlight.computeIfAbsent(key, k -> client.connect(port, webServerUri.getHost())
                .compose(socket -> socket.close().map(true), e -> Future.succeededFuture(false))
                .andThen(ar -> {
                    answers.put(key, new Answer(ar.succeeded() && ar.result(), clock.instant()));
                    inFlight.remove(key);
                }));
    }
}
