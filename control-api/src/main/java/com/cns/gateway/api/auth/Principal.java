package com.cns.gateway.api.auth;

import io.vertx.ext.web.RoutingContext;

/**
 * Principal is who makes a request, as the authentication handler found it: the user's name, role
 * and camera scope. Every service that records an actor takes it from here, never from the request body.
 */
public record Principal(String username, Role role, CameraScope cameras) {
    static final String KEY = "cns.principal";

    /** The request's principal; a route outside authentication has none and must not ask. */
    public static Principal of(RoutingContext ctx) {
        Principal p = ctx.get(KEY);
        if (p == null) {
            throw new IllegalStateException("No principal on " + ctx.request().path() + ": the route is not authenticated");
        }
        return p;
    }

    public void bind(RoutingContext ctx) {
        ctx.put(KEY, this);
    }
}
