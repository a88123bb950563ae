package com.cns.gateway.milestone.idp;

import com.cns.gateway.milestone.MilestoneMetrics;
import com.cns.gateway.milestone.XProtectAuthenticationException;
import com.cns.gateway.milestone.XProtectHttp;
import com.cns.gateway.milestone.XProtectUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * IdpTokenProvider holds the gateway's OAuth2 access token from the XProtect IDP (password grant,
 * {@code client_id=GrantValidatorClient}; research/milestone-protocols.md §1). GrantValidatorClient
 * gets no refresh token, so renewal is a new password grant, made before expiry; concurrent callers
 * share one request.
 */
public final class IdpTokenProvider {
    private final WebClient http;
    private final URI tokenEndpoint;
    private final String username;
    private final String password;
    private final Duration maxLifetime;
    private final Duration timeout;
    private final Clock clock;
    private final MilestoneMetrics metrics;
    private String token;
    private Instant renewAt = Instant.EPOCH;
    private Instant expiresAt = Instant.EPOCH;
    private Future<String> inFlight;

    public IdpTokenProvider(WebClient http, URI tokenEndpoint, String username, String password,
                            Duration maxLifetime, Duration timeout, Clock clock, MilestoneMetrics metrics) {
        this.http = http;
        this.tokenEndpoint = tokenEndpoint;
        this.username = username;
        this.password = password;
        this.maxLifetime = maxLifetime;
        this.timeout = timeout;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** A token valid for a while yet: the cached one, or a new one when renewal is due. */
    public synchronized Future<String> token() {
        if (token != null && clock.instant().isBefore(renewAt)) {
            return Future.succeededFuture(token);
        }
        if (inFlight == null) {
            inFlight = metrics.time("idp_token", request()).andThen(ar -> {
                synchronized (this) {
                    inFlight = null;
                }
                metrics.tokenRenewed("idp", ar.succeeded());
            });
        }
        return inFlight;
    }

    /** Forgets {@code rejected} after XProtect answered 401 to it, so the next call fetches a new one. */
    public synchronized void invalidate(String rejected) {
        if (rejected != null && rejected.equals(token)) {
            token = null;
        }
    }

    /** When the current token expires, for callers whose own tokens must not outlive it. */
    public synchronized Instant expiresAt() {
        return expiresAt;
    }

    /**
     * A Windows user's provider (MILESTONE_AUTH_TYPE=ntlm): the {@code windows_credentials} grant,
     * authenticated by NTLM on one connection of its own, asked of the IDP directly.
     */
    public static IdpTokenProvider windowsUser(WebClient singleConnection, URI tokenEndpoint, String domainUser,
                                               String password, Duration maxLifetime, Duration timeout, Clock clock,
                                               MilestoneMetrics metrics) {
        IdpTokenProvider p = new IdpTokenProvider(singleConnection, tokenEndpoint, domainUser, password, maxLifetime,
                timeout, clock, metrics);
        p.ntlm = new NtlmTokenRequest(singleConnection, tokenEndpoint, domainUser, password, timeout);
        return p;
    }

    private NtlmTokenRequest ntlm;

    private Future<String> request() {
        Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>> answer;
        if (ntlm != null) {
            answer = ntlm.send();
        } else {
            MultiMap form = MultiMap.caseInsensitiveMultiMap()
                    .add("grant_type", "password")
                    .add("username", username)
                    .add("password", password)
                    .add("client_id", "GrantValidatorClient");
            answer = http.postAbs(tokenEndpoint.toString()).timeout(timeout.toMillis()).sendForm(form);
        }
        return answer
                .recover(e -> Future.failedFuture(e instanceof XProtectAuthenticationException ? e
                        : XProtectHttp.unavailable("identity provider", e)))
                .compose(resp -> {
                    if (resp.statusCode() == 200) {
                        return accept(resp.bodyAsJsonObject());
                    }
                    if (resp.statusCode() == 400 || resp.statusCode() == 401) {
                        return Future.failedFuture(new XProtectAuthenticationException(
                                "XProtect identity provider refused the gateway's credentials for user '" + username
                                        + "': " + oauthError(resp.bodyAsString())));
                    }
                    return Future.failedFuture(new XProtectUnavailableException(
                            "XProtect identity provider answered " + XProtectHttp.describe(resp),
                            Duration.ofSeconds(5), null));
                });
    }

    private synchronized Future<String> accept(JsonObject body) {
        String t = body == null ? null : body.getString("access_token");
        if (t == null) {
            return Future.failedFuture(new XProtectUnavailableException(
                    "XProtect identity provider answered without an access_token", Duration.ofSeconds(5), null));
        }
        Duration lifetime = Duration.ofSeconds(body.getLong("expires_in", 3600L));
        if (lifetime.compareTo(maxLifetime) > 0) {
            lifetime = maxLifetime;
        }
        Instant now = clock.instant();
        Duration margin = lifetime.dividedBy(10).compareTo(Duration.ofSeconds(60)) < 0
                ? lifetime.dividedBy(10) : Duration.ofSeconds(60);
        token = t;
        expiresAt = now.plus(lifetime);
        renewAt = expiresAt.minus(margin);
        return Future.succeededFuture(t);
    }

    private static String oauthError(String body) {
        try {
            JsonObject j = new JsonObject(body);
            String d = j.getString("error_description");
            return j.getString("error", "error") + (d == null ? "" : " (" + d + ")");
        } catch (RuntimeException e) {
            return body == null ? "no body" : body.substring(0, Math.min(200, body.length()));
        }
    }
}
