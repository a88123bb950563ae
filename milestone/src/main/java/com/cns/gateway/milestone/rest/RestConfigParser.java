package com.cns.gateway.milestone.rest;

import com.cns.gateway.milestone.XProtectException;
import com.cns.gateway.milestone.XpCamera;
import com.cns.gateway.milestone.XpHardware;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * RestConfigParser reads the RESTful Config API's envelopes ({@code {"array":[…]}} for collections,
 * {@code {"data":{…}}} for one object) and its camera, hardware and recording-server objects, in the
 * shapes captured from a 2025 R1 server.
 */
public final class RestConfigParser {
    private RestConfigParser() {
    }

    /** A recording server as the REST API describes it, before any URI override. */
    public record RecordingServerEntry(String id, String name, String hostName, URI webServerUri) {
    }

    public static <T> List<T> array(JsonObject body, Function<JsonObject, T> item) {
        JsonArray a = body == null ? null : body.getJsonArray("array");
        if (a == null) {
            throw new XProtectException("XProtect answered a collection without its \"array\" envelope");
        }
        List<T> out = new ArrayList<>(a.size());
        for (Object o : a) {
            if (o instanceof JsonObject j) {
                out.add(item.apply(j));
            }
        }
        return out;
    }

    public static <T> T data(JsonObject body, Function<JsonObject, T> item) {
        JsonObject d = body == null ? null : body.getJsonObject("data");
        if (d == null) {
            throw new XProtectException("XProtect answered an object without its \"data\" envelope");
        }
        return item.apply(d);
    }

    /** A camera without its recording server, which the caller joins through the hardware. */
    public static XpCamera camera(JsonObject j) {
        String name = j.getString("name", "");
        return new XpCamera(required(j, "id"), name, j.getString("displayName", name),
                j.getBoolean("enabled", true), j.getBoolean("ptzEnabled", false),
                j.getBoolean("recordingEnabled", false), j.getInteger("recordingFramerate", 0),
                j.getBoolean("manualRecordingTimeoutEnabled", false), j.getInteger("manualRecordingTimeoutMinutes", 0),
                parentId(j, "hardware"), null);
    }

    public static XpHardware hardware(JsonObject j) {
        return new XpHardware(required(j, "id"), j.getString("name", ""), parentId(j, "recordingServers"));
    }

    public static RecordingServerEntry recordingServer(JsonObject j) {
        String uri = j.getString("webServerUri");
        URI parsed = null;
        if (uri != null && !uri.isBlank()) {
            try {
                parsed = new URI(uri.endsWith("/") ? uri : uri + "/");
            } catch (URISyntaxException e) {
                throw new XProtectException("XProtect recording server " + j.getString("id")
                        + " has an unusable webServerUri '" + uri + "'");
            }
        }
        return new RecordingServerEntry(required(j, "id"), j.getString("name", ""), j.getString("hostName", ""), parsed);
    }

    private static String parentId(JsonObject j, String expectedType) {
        JsonObject rel = j.getJsonObject("relations");
        JsonObject parent = rel == null ? null : rel.getJsonObject("parent");
        if (parent == null || !expectedType.equalsIgnoreCase(parent.getString("type"))) {
            return null;
        }
        return parent.getString("id");
    }

    private static String required(JsonObject j, String field) {
        String v = j.getString(field);
        if (v == null) {
            throw new XProtectException("XProtect answered an object without \"" + field + "\"");
        }
        return v;
    }
}
