package com.cns.gateway;

import com.cns.gateway.config.ConfigException;
import com.cns.gateway.config.ConfigLoader;
import com.cns.gateway.config.GatewayConfig;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** Main reads the environment once, starts the gateway, and stops it cleanly on SIGTERM or Ctrl-C. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        }
        Logger log = Logger.getLogger(Main.class.getName());
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
            log.info("Stopping");
            try {
                app.close();
            } catch (Exception e) {
                log.warning("Unclean stop: " + e.getMessage());
            }
        }, "gateway-shutdown"));
    }
}
