package com.cns.gateway;

import com.cns.gateway.config.ConfigException;
import com.cns.gateway.config.ConfigLoader;
import com.cns.gateway.config.GatewayConfig;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** Main reads the environment once, starts the gateway, and stops it cleanly on SIGTERM or Ctrl-C. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        }
        GatewayConfig config;
        try {
            config = ConfigLoader.load(System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        GatewayApp app = new GatewayApp(config, Clock.systemUTC());
        try {
            app.start().toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            System.err.println("CNS Media Gateway failed to start: " + cause.getMessage());
            try {
                app.close();
            } finally {
                System.exit(1);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // java.util.logging resets its handlers in a shutdown hook of its own: write to stderr directly.
            System.err.println("CNS Media Gateway stopping");
            try {
                app.close();
            } catch (Exception e) {
                System.err.println("CNS Media Gateway: unclean stop: " + e.getMessage());
            }
        }, "gateway-shutdown"));
    }
}
