package com.cns.xprotect.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * FaultInjector makes the simulator misbehave on purpose, like OkHttp's MockWebServer: added
 * latency, error answers, and dropped connections, each for requests whose path starts with a
 * prefix, for a number of requests or until cleared. Faults are set at run time, in process or
 * through {@code POST /simulator/faults}.
 */
public final class FaultInjector {

    /** What a fault does to a matching request. */
    public enum Kind {
        /** Delay the answer by {@code latencyMs}. */
        LATENCY,
        /** Answer {@code status} with the REST error envelope (or a SOAP fault on SOAP paths). */
        ERROR,
        /** Close the connection without answering. */
        DROP
    }

    /** One fault rule; {@code times} < 0 means until cleared. */
    public static final class Fault {
        final Kind kind;
        final String pathPrefix;
        final int status;
        final long latencyMs;
        final AtomicInteger remaining;

        public Fault(Kind kind, String pathPrefix, int status, long latencyMs, int times) {
            this.kind = kind;
            this.pathPrefix = pathPrefix == null ? "/" : pathPrefix;
            this.status = status;
            this.latencyMs = latencyMs;
            this.remaining = new AtomicInteger(times);
        }

        boolean take(String path) {
            if (!path.toLowerCase(Locale.ROOT).startsWith(pathPrefix.toLowerCase(Locale.ROOT))) {
                return false;
            }
            while (true) {
                int r = remaining.get();
                if (r == 0) {
                    return false;
                }
                if (r < 0 || remaining.compareAndSet(r, r - 1)) {
                    return true;
                }
            }
        }

        JsonObject toJson() {
            return new JsonObject().put("kind", kind.name().toLowerCase(Locale.ROOT)).put("pathPrefix", pathPrefix)
                    .put("status", status).put("latencyMs", latencyMs).put("remaining", remaining.get());
        }

        static Fault fromJson(JsonObject j) {
            Kind kind = Kind.valueOf(j.getString("kind", "error").toUpperCase(Locale.ROOT));
            return new Fault(kind, j.getString("pathPrefix", "/"), j.getInteger("status", 500),
                    j.getLong("latencyMs", 0L), j.getInteger("times", -1));
        }
    }

    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    public void add(Fault f) {
        faults.add(f);
    }

    public void latency(String pathPrefix, long ms) {
        add(new Fault(Kind.LATENCY, pathPrefix, 0, ms, -1));
    }

    public void error(String pathPrefix, int status, int times) {
        add(new Fault(Kind.ERROR, pathPrefix, status, 0, times));
    }

    public void drop(String pathPrefix, int times) {
        add(new Fault(Kind.DROP, pathPrefix, 0, 0, times));
    }

    public void clear() {
        faults.clear();
    }

    JsonArray toJson() {
        JsonArray a = new JsonArray();
        faults.forEach(f -> a.add(f.toJson()));
        return a;
    }

    /** A route handler placed before the simulated services. */
    void handle(Vertx vertx, RoutingContext ctx) {
        String path = ctx.request().path();
        long delay = 0;
        for (Fault f : faults) {
            if (f.kind == Kind.LATENCY && f.take(path)) {
                delay += f.latencyMs;
            }
        }
        Runnable rest = () -> {
            for (Fault f : faults) {
                if (f.kind == Kind.DROP && f.take(path)) {
                    ctx.request().connection().close();
                    return;
                }
                if (f.kind == Kind.ERROR && f.take(path)) {
                    RestErrors.send(ctx, f.status, "Simulated failure");
                    return;
                }
            }
            ctx.next();
        };
        if (delay > 0) {
            vertx.setTimer(delay, t -> rest.run());
        } else {
            rest.run();
        }
    }
}
