package com.cns.xprotect.simulator;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.Function;

/**
 * RecorderServer is one simulated recording server on its own port, the port its {@code webServerUri}
 * advertises. Like a real recorder it serves two protocols on that port: a connection whose first
 * bytes are {@code <?xml} speaks ImageServer ({@link ImageServerSession}); any other is HTTP, handed to
 * the RecorderCommandService behind it. It can be stopped and started again on the same port to
 * simulate a recorder outage.
 */
final class RecorderServer {
    private final Vertx vertx;
    private final SimulatedSite.Recorder recorder;
    private final HttpServerOptions options;
    private final String advertisedHost;
    private final Router router;
    private final Function<NetSocket, ImageServerSession> imageServer;
    private final NetClient loopback;
    private HttpServer http;
    private NetServer front;

    RecorderServer(Vertx vertx, SimulatedSite.Recorder recorder, HttpServerOptions options, String advertisedHost,
                   RecorderCommandService commands, List<Handler<RoutingContext>> before,
                   Function<NetSocket, ImageServerSession> imageServer) {
        this.vertx = vertx;
        this.recorder = recorder;
        this.options = options;
        this.advertisedHost = advertisedHost;
        this.imageServer = imageServer;
        this.loopback = vertx.createNetClient();
        this.router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(1 << 20));
        before.forEach(h -> router.route().handler(h));
        commands.mount(router);
        router.route().handler(ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain")
                .end("Not found: " + ctx.request().path()));
    }

    synchronized Future<Void> start() {
        if (front != null) {
            return Future.succeededFuture();
        }
        // The HTTP side listens privately on loopback, in plain text; the front terminates TLS.
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(router)
                .listen().compose(h -> {
                    NetServerOptions no = new NetServerOptions().setHost(options.getHost()).setPort(recorder.port)
                            .setSsl(options.isSsl());
                    if (options.isSsl()) {
                        no.setKeyCertOptions(options.getKeyCertOptions());
                    }
                    NetServer f = vertx.createNetServer(no).connectHandler(s -> sniff(s, h.actualPort()));
                    // A preferred port someone else took: any free one (the gateway finds it through XProtect).
                    return f.listen().recover(e -> no.getPort() == 0 ? Future.failedFuture(e)
                            : vertx.createNetServer(no.setPort(0)).connectHandler(s -> sniff(s, h.actualPort())).listen())
                            .map(bound -> {
                                synchronized (this) {
                                    http = h;
                                    front = bound;
                                }
                                recorder.port = bound.actualPort();
                                recorder.webServerUri = (options.isSsl() ? "https" : "http") + "://" + advertisedHost
                                        + ":" + bound.actualPort() + "/";
                                return null;
                            });
                });
    }

    /** Reads the first bytes of a connection to tell ImageServer from HTTP. */
    private void sniff(NetSocket socket, int httpPort) {
        Buffer first = Buffer.buffer();
        socket.handler(data -> {
            first.appendBuffer(data);
            String head = first.getString(0, Math.min(first.length(), 5));
            if (first.length() < 5 && "<?xml".startsWith(head)) {
                return;
            }
            if (head.startsWith("<")) {
                ImageServerSession session = imageServer.apply(socket);
                socket.handler(session::feed);
                session.feed(first);
            } else {
                socket.pause();
                socket.handler(null);
                loopback.connect(httpPort, "127.0.0.1").onSuccess(up -> {
                    up.write(first);
                    socket.pipeTo(up);
                    up.pipeTo(socket);
                    socket.resume();
                }).onFailure(e -> socket.close());
            }
        });
    }

    synchronized Future<Void> stop() {
        NetServer f = front;
        HttpServer h = http;
        front = null;
        http = null;
        if (f == null) {
            return Future.succeededFuture();
        }
        return f.close().compose(v -> h.close());
    }
}
