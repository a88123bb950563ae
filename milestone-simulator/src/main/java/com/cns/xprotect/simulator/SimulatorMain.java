package com.cns.xprotect.simulator;

import io.vertx.core.Vertx;
import java.util.Arrays;

/** SimulatorMain runs the XProtect simulator as its own process. */
public final class SimulatorMain {
    private SimulatorMain() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(SimulatorOptions.USAGE);
            System.exit(0);
            return;
        }
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx();
        XProtectSimulator sim = new XProtectSimulator(vertx, options);
        sim.start().onSuccess(url -> {
            System.out.println("XProtect simulator listening on " + url + " with " + options.cameras()
                    + " cameras on " + options.recorders() + " recording servers (user " + options.username() + ")");
            sim.site().recorders().forEach(r -> System.out.println("  " + r.name + ": " + r.webServerUri()));
        }).onFailure(e -> {
            System.err.println("XProtect simulator failed to start: " + e.getMessage());
            System.exit(1);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                sim.stop().toCompletionStage().toCompletableFuture().get();
                vertx.close().toCompletionStage().toCompletableFuture().get();
            } catch (Exception ignored) {
                // the process is ending either way
            }
        }));
    }
}
