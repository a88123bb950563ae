package com.cns.gateway.api.recordings;

import static com.cns.gateway.api.http.JsonResponses.send;

import com.cns.gateway.api.auth.Principal;
import com.cns.gateway.api.cameras.CameraSubRoutes;
import com.cns.gateway.api.cameras.RecorderRelocator;
import com.cns.gateway.api.http.ApiError;
import com.cns.gateway.api.http.RequestReader;
import io.vertx.core.json.JsonObject;
import com.cns.gateway.api.auth.Role;
import com.cns.gateway.api.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * RecordingRoutes serves a camera's manual recordings (plan 8.2) under
 * {@code /api/v1/cameras/{id}/recordings}: start with a duration, stop, status.
 */
public final class RecordingRoutes implements CameraSubRoutes {
    private final RecordingService service;
    private final RecorderRelocator relocator;
    private final int defaultDuration;
    private final int maxDuration;

    /** {@code relocator}: a start whose recorder is down is tried once more where XProtect says the camera went. */
    public RecordingRoutes(RecordingService service, RecorderRelocator relocator, int defaultDuration, int maxDuration) {
        this.service = service;
        this.relocator = relocator;
        this.defaultDuration = defaultDuration;
        this.maxDuration = maxDuration;
    }

    @Override
    public void mount(Routes cameras) {
        cameras.audited(HttpMethod.POST, "/:id/recordings/start", Role.OPERATOR, "recording.start", this::start);
        cameras.audited(HttpMethod.POST, "/:id/recordings/stop", Role.OPERATOR, "recording.stop",
                ctx -> service.stop(RequestReader.pathUuid(ctx, "id"), Principal.of(ctx).username())
                        .onSuccess(s -> send(ctx, 200, RecordingJson.stopped(s))).onFailure(ctx::fail));
        cameras.get("/:id/recordings/status", Role.VIEWER, ctx -> service.status(RequestReader.pathUuid(ctx, "id"))
                .onSuccess(st -> send(ctx, 200, RecordingJson.status(st))).onFailure(ctx::fail));
    }

    private void start(RoutingContext ctx) {
        var id = RequestReader.pathUuid(ctx, "id");
        int duration = duration(RequestReader.body(ctx, true));
        String actor = Principal.of(ctx).username();
        relocator.retrying(id, () -> service.start(id, duration, actor))
                .onSuccess(s -> send(ctx, 200, RecordingJson.started(s))).onFailure(ctx::fail);
    }

    private int duration(JsonObject body) {
        Object v = body.getValue("duration");
        if (v == null) {
            return defaultDuration;
        }
        String limits = "Field 'duration' must be a whole number of seconds from 1 to " + maxDuration
                + " (RECORDING_MAX_DURATION)";
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new ApiError(400, limits + ", got " + (v instanceof String ? "'" + v + "'" : v),
                    new JsonObject().put("field", "duration").put("maxDuration", maxDuration));
        }
        double d = n.doubleValue();
        if (d < 1 || d > maxDuration) {
            throw new ApiError(400, limits + ", got " + n, new JsonObject().put("field", "duration")
                    .put("maxDuration", maxDuration));
        }
        return (int) d;
    }

}
