package com.cns.gateway.milestone;

import com.cns.gateway.milestone.rest.XProtectCameraDirectory;
import com.cns.gateway.milestone.soap.VmsTokenProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * XProtectHealth probes XProtect periodically (the REST API and the VMS login, which together
 * exercise the IDP, the API Gateway and the management server) and remembers the outcome for the
 * readiness check. An outage makes the state {@code degraded}, never takes the instance out of
 * service; the next successful probe brings it back to {@code up}.
 */
public final class XProtectHealth {
    private final XProtectCameraDirectory directory;
    private final VmsTokenProvider vms;
    private final Clock clock;
    private volatile boolean up;
    private volatile String error = "not checked yet";
    private volatile Instant checkedAt;
    private long timerId = -1;

    public XProtectHealth(XProtectCameraDirectory directory, VmsTokenProvider vms, Clock clock) {
        this.directory = directory;
        this.vms = vms;
        this.clock = clock;
    }

    public Future<Boolean> check() {
        return directory.probe().compose(v -> vms.token()).transform(ar -> {
            checkedAt = clock.instant();
            up = ar.succeeded();
            error = ar.succeeded() ? null : ar.cause().getMessage();
            return Future.succeededFuture(up);
        });
    }

    public void start(Vertx vertx, Duration interval) {
        check();
        timerId = vertx.setPeriodic(interval.toMillis(), t -> check());
    }

    public void stop(Vertx vertx) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** {@code {"status":"up"|"degraded","checkedAt":…,"error":…}} for the readiness answer. */
    public JsonObject toJson() {
        JsonObject j = new JsonObject().put("status", up ? "up" : "degraded");
        if (checkedAt != null) {
            j.put("checkedAt", checkedAt.toString());
        }
        if (error != null) {
            j.put("error", error);
        }
        return j;
    }
}
