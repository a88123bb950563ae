package com.cns.gateway.api.http;

import com.cns.gateway.config.TrustedProxies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * ClientAddresses resolves, first on every request, which address the request comes from: the
 * socket's peer, or behind a trusted proxy (nginx, Kong: {@code HTTP_TRUSTED_PROXIES}) the client its
 * {@code X-Forwarded-For} names. Audit rows and the per-address login limit read it with {@link #of}.
 */
public final class ClientAddresses implements Handler<RoutingContext> {
    private static final String KEY = "cns.clientAddress";
    private final TrustedProxies trusted;

    public ClientAddresses(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.put(KEY, trusted.client(peer(ctx), ctx.request().getHeader("X-Forwarded-For")));
        ctx.next();
    }

    /** The request's client address (the peer's when no handler resolved it); null if unknown. */
    public static String of(RoutingContext ctx) {
        String resolved = ctx.get(KEY);
        return resolved != null ? resolved : peer(ctx);
    }

    private static String peer(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    }
}
