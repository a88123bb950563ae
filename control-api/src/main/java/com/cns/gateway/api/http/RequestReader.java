package com.cns.gateway.api.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * RequestReader validates what a client sent (path parameters, query parameters, JSON bodies) and
 * throws an {@link ApiError} 400 that names the field and what it must be. Unknown JSON fields are
 * ignored; known fields of the wrong type are refused.
 */
public final class RequestReader {
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private RequestReader() {
    }

    public static UUID pathUuid(RoutingContext ctx, String name) {
        String v = ctx.pathParam(name);
        if (v == null || !UUID_TEXT.matcher(v).matches()) {
            throw ApiError.badRequest("Path parameter '" + name + "' must be a UUID, got '" + v + "'");
        }
        return UUID.fromString(v);
    }

    public static int queryInt(RoutingContext ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiError.badRequest("Query parameter '" + name + "' must be a whole number from " + min + " to " + max
                + ", got '" + v + "'");
    }

    public static Boolean queryBool(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiError.badRequest("Query parameter '" + name + "' must be true or false, got '" + v + "'");
        };
    }

    /** The body as a JSON object; an empty body is {@code {}} when {@code optional}. */
    public static JsonObject body(RoutingContext ctx, boolean optional) {
        String text = ctx.body() == null ? null : ctx.body().asString();
        if (text == null || text.isBlank()) {
            if (optional) {
                return new JsonObject();
            }
            throw ApiError.badRequest("Request body is required: a JSON object");
        }
        Object parsed;
        try {
            parsed = io.vertx.core.json.Json.decodeValue(text);
        } catch (DecodeException e) {
            throw ApiError.badRequest("Request body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (!(parsed instanceof JsonObject o)) {
            throw ApiError.badRequest("Request body must be a JSON object");
        }
        return o;
    }

    public static String string(JsonObject body, String field, int maxLength) {
        Object v = body.getValue(key(field));
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw fieldError(field, "Field '" + field + "' must be a string");
        }
        if (s.length() > maxLength) {
            throw fieldError(field, "Field '" + field + "' must be at most " + maxLength + " characters");
        }
        return s;
    }

    public static Boolean bool(JsonObject body, String field) {
        Object v = body.getValue(key(field));
        if (v == null) {
            return null;
        }
        if (!(v instanceof Boolean b)) {
            throw fieldError(field, "Field '" + field + "' must be true or false");
        }
        return b;
    }

    /** A required ISO 8601 time with an offset; 400 naming the field otherwise. */
    public static java.time.Instant instant(String field, String v) {
        if (v == null || v.isBlank()) {
            throw ApiError.badRequest("'" + field + "' is required: an ISO 8601 time such as 2025-10-27T10:00:00Z");
        }
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiError.badRequest("'" + field + "' must be an ISO 8601 time with an offset, such as "
                    + "2025-10-27T10:00:00Z, got '" + firstLine(v) + "'");
        }
    }

    public static Double number(JsonObject body, String field, double min, double max) {
        Object v = body.getValue(key(field));
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n)) {
            throw fieldError(field, "Field '" + field + "' must be a number");
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || d < min || d > max) {
            throw fieldError(field, "Field '" + field + "' must be between " + min + " and " + max);
        }
        return d;
    }

    public static JsonObject object(JsonObject body, String field) {
        Object v = body.getValue(key(field));
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonObject o)) {
            throw fieldError(field, "Field '" + field + "' must be an object");
        }
        return o;
    }

    public static UUID uuid(JsonObject body, String field) {
        String s = string(body, field, 64);
        if (s == null) {
            return null;
        }
        if (!UUID_TEXT.matcher(s).matches()) {
            throw fieldError(field, "Field '" + field + "' must be a UUID, got '" + s + "'");
        }
        return UUID.fromString(s);
    }

    /** The JSON key of a field named by its full path ({@code location.latitude} is {@code latitude} of {@code location}). */
    private static String key(String field) {
        return field.substring(field.lastIndexOf('.') + 1);
    }

    /** A bad field's 400: the message names its full path, and so does {@code field}. */
    private static ApiError fieldError(String field, String message) {
        return new ApiError(400, message, new io.vertx.core.json.JsonObject().put("field", field));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
