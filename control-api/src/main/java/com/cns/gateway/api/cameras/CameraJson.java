package com.cns.gateway.api.cameras;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** CameraJson renders cameras as every camera endpoint answers them: the plan's 8.1 keys plus nameAr, source, location. */
public final class CameraJson {
    private CameraJson() {
    }

    public static JsonObject of(Camera c) {
        return new JsonObject()
                .put("id", c.id().toString())
                .put("name", c.name())
                .put("milestone_device_id", c.milestoneDeviceId())
                .put("rtsp_url", c.rtspUrl())
                .put("ptz_enabled", c.ptzEnabled())
                .put("status", c.status().name())
                .put("created_at", c.createdAt().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("nameAr", c.nameAr())
                .put("source", c.source().name())
                .put("location", location(c.location()));
    }

    /** A page of the camera list. */
    public static JsonObject page(List<Camera> cameras, long total, int limit, int offset) {
        JsonArray items = new JsonArray();
        cameras.forEach(c -> items.add(of(c)));
        return new JsonObject().put("cameras", items).put("total", total).put("limit", limit).put("offset", offset);
    }

    public static JsonObject location(CameraLocation l) {
        return l == null ? null : new JsonObject().put("latitude", l.latitude()).put("longitude", l.longitude())
                .put("address", l.address());
    }
}
