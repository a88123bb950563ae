package com.cns.gateway.api.http;

import com.cns.gateway.config.TrustedProxies;
import io.vertx.ext.web.RoutingContext;

/**
 * ClientAddresses tells which address a request comes from: the socket's peer, or behind a trusted
 * proxy (nginx, Kong: {@code HTTP_TRUSTED_PROXIES}) the client its {@code X-Forwarded-For} names.
 * Resolved only where it is needed (audit rows, the per-address login limit), not on every request.
 */
public final class ClientAddresses {
    private final TrustedProxies trusted;

    public ClientAddresses(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    /** The request's client address; null if unknown. */
    public String of(RoutingContext ctx) {
        String peer = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        return trusted.client(peer, ctx.request().getHeader("X-Forwarded-For"));
    }
}
