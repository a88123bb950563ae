package com.cns.gateway.api.auth;

import io.vertx.core.Future;

/** TokenVerifier turns a bearer token into the principal it names, or fails with {@link AuthenticationException}. */
public interface TokenVerifier {
    Future<Verified> verify(String token);

    /** A verified token: who, and until when it holds (the WebSocket closes then). */
    record Verified(Principal principal, java.time.Instant expiresAt) {
    }
}
