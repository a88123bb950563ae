package com.cns.gateway.testsupport;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalInt;
import java.util.ServiceLoader;

/**
 * GatewayLauncher is how this module starts a gateway without depending on it: the gateway module's
 * tests provide the one implementation (a {@code META-INF/services} entry), so the harness here can be
 * shared by every module whose tests run a whole gateway.
 */
public interface GatewayLauncher {
    /** A gateway started in this JVM. */
    interface Running extends AutoCloseable {
        int port();

        /** The port {@code /metrics} is served on by itself, empty when it shares the API's port. */
        OptionalInt metricsPort();

        /** Every route the gateway declared. */
        java.util.List<RouteInfo> routes();
    }

    /** One declared route: method, path with its {@code :params}, the role it needs (null: open), and whether a signed URL may stand for a token. */
    record RouteInfo(String method, String path, String role, boolean signedUrls) {
    }

    /** A PostgreSQL server of the machine's own binaries, for a test run. */
    interface Postgres extends AutoCloseable {
        int port();
    }

    /** Starts a gateway from {@code env}, as {@code Main} would from environment variables. */
    Running start(Map<String, String> env, Clock clock) throws Exception;

    /** Starts a throwaway PostgreSQL cluster in {@code dir}, its superuser {@code postgres} without password. */
    Postgres startPostgres(Path dir) throws Exception;

    /** The launcher on the class path. */
    static GatewayLauncher find() {
        return ServiceLoader.load(GatewayLauncher.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "No GatewayLauncher on the class path: the gateway module's tests provide one"));
    }
}
