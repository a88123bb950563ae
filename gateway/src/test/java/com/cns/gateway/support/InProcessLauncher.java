package com.cns.gateway.support;

import com.cns.gateway.GatewayApp;
import com.cns.gateway.config.ConfigLoader;
import com.cns.gateway.embedded.EmbeddedPostgres;
import com.cns.gateway.testsupport.GatewayLauncher;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** InProcessLauncher starts the real composition root in this JVM for test-support's harness. */
public final class InProcessLauncher implements GatewayLauncher {
    @Override
    public Running start(Map<String, String> env, Clock clock) throws Exception {
        GatewayApp app = new GatewayApp(ConfigLoader.load(env), clock);
        int port = app.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return new Running() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public OptionalInt metricsPort() {
                return app.metricsPort();
            }

            @Override
            public java.util.List<RouteInfo> routes() {
                return app.routes().stream().map(r -> new RouteInfo(r.method().name(), r.path(),
                        r.role() == null ? null : r.role().label(), r.signedUrls())).toList();
            }

            @Override
            public void close() throws Exception {
                app.close();
            }
        };
    }

    @Override
    public Postgres startPostgres(Path dir) throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.start(dir, false);
        return new Postgres() {
            @Override
            public int port() {
                return pg.port();
            }

            @Override
            public void close() throws Exception {
                pg.close();
            }
        };
    }
}
