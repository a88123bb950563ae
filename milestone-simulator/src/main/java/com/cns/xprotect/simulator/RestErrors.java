package com.cns.xprotect.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * RestErrors writes the RESTful Config API's error envelope, as captured from a real server:
 * {@code {"error":{"httpCode":404,"details":[{"errorText":"Unknown resource: recordings"}]}}}.
 */
final class RestErrors {
    private RestErrors() {
    }

    static void send(RoutingContext ctx, int status, String text) {
        JsonObject body = new JsonObject().put("error", new JsonObject().put("httpCode", status)
                .put("details", new JsonArray().add(new JsonObject().put("errorText", text))));
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8");
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        ctx.response().end(body.encode());
    }
}
