package com.cns.gateway.api.http;

import io.vertx.core.json.JsonObject;

/**
 * ApiError is an answer the gateway chose: an HTTP status and the JSON body
 * {@code {"error": "...", ...}}, with any extra fields a client needs (the conflicting object, the
 * field at fault).
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final JsonObject extra;

    public ApiError(int status, String message) {
        this(status, message, new JsonObject());
    }

    public ApiError(int status, String message, JsonObject extra) {
        super(message, null, false, false);
        this.status = status;
        this.extra = extra;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    public int status() {
        return status;
    }

    public JsonObject body() {
        return new JsonObject().put("error", getMessage()).mergeIn(extra);
    }
}
