package com.cns.gateway.milestone.rest;

import com.cns.gateway.milestone.MilestoneMetrics;
import com.cns.gateway.milestone.XProtectAuthenticationException;
import com.cns.gateway.milestone.XProtectException;
import com.cns.gateway.milestone.XProtectHttp;
import com.cns.gateway.milestone.XProtectNotFoundException;
import com.cns.gateway.milestone.XProtectUnavailableException;
import com.cns.gateway.milestone.idp.IdpTokenProvider;
import com.cns.gateway.milestone.resilience.CircuitBreaker;
import com.cns.gateway.milestone.resilience.Retry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;

/**
 * RestConfigClient makes GET requests to the API Gateway's RESTful Config API
 * ({@code /api/rest/v1/...}) with the IDP bearer token: a 401 gets one fresh token and one retry,
 * outages are retried with backoff (GETs are idempotent), and everything passes the circuit breaker.
 */
public final class RestConfigClient {
    private final WebClient http;
    private final URI base;
    private final IdpTokenProvider idp;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final Duration timeout;
    private final MilestoneMetrics metrics;

    public RestConfigClient(WebClient http, URI managementServer, IdpTokenProvider idp, CircuitBreaker breaker,
                            Retry retry, Duration timeout, MilestoneMetrics metrics) {
        this.http = http;
        this.base = managementServer.resolve("/api/rest/v1/");
        this.idp = idp;
        this.breaker = breaker;
        this.retry = retry;
        this.timeout = timeout;
        this.metrics = metrics;
    }

    /**
     * GETs {@code path} (relative, e.g. {@code cameras?page=0&size=100}) and answers the whole JSON body.
     *
     * @param operation a bounded name for metrics, e.g. {@code list_cameras}
     */
    public Future<JsonObject> get(String path, String operation) {
        return breaker.call(() -> retry.run(() -> metrics.time(operation, attempt(path, false))));
    }

    private Future<JsonObject> attempt(String path, boolean retried) {
        return idp.token().compose(token -> http.getAbs(base.resolve(path).toString())
                .timeout(timeout.toMillis())
                .bearerTokenAuthentication(token)
                .putHeader("Accept", "application/json")
                .send()
                .recover(e -> Future.failedFuture(XProtectHttp.unavailable("API Gateway", e)))
                .compose(resp -> {
                    int status = resp.statusCode();
                    if (status == 200) {
                        try {
                            return Future.succeededFuture(resp.bodyAsJsonObject());
                        } catch (RuntimeException e) {
                            return Future.failedFuture(new XProtectException(
                                    "XProtect answered " + path + " with a body that is not JSON"));
                        }
                    }
                    if (status == 401) {
                        idp.invalidate(token);
                        return retried
                                ? Future.failedFuture(new XProtectAuthenticationException(
                                        "XProtect API Gateway refused a fresh token for " + path))
                                : attempt(path, true);
                    }
                    if (status == 404) {
                        return Future.failedFuture(new XProtectNotFoundException(
                                "XProtect has no " + path + " (" + XProtectHttp.describe(resp) + ")"));
                    }
                    if (status >= 500 || status == 429) {
                        return Future.failedFuture(new XProtectUnavailableException(
                                "XProtect API Gateway answered " + XProtectHttp.describe(resp) + " for " + path,
                                Duration.ofSeconds(5), null));
                    }
                    return Future.failedFuture(new XProtectException(
                            "XProtect API Gateway answered " + XProtectHttp.describe(resp) + " for " + path));
                }));
    }
}
