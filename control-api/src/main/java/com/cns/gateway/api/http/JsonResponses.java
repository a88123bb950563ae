package com.cns.gateway.api.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JsonResponses ends a request with a JSON body, the one way every route of the API answers. */
public final class JsonResponses {
    private JsonResponses() {
    }

    public static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(body.encode());
    }
}
