package com.cns.gateway.milestone.soap;

import com.cns.gateway.milestone.MilestoneMetrics;
import com.cns.gateway.milestone.XProtectAuthenticationException;
import com.cns.gateway.milestone.XProtectHttp;
import com.cns.gateway.milestone.XProtectUnavailableException;
import com.cns.gateway.milestone.idp.IdpTokenProvider;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * VmsTokenProvider holds the VMS token that recording servers want, obtained by the SOAP
 * {@code Login} on ServerCommandServiceOAuth.svc with the IDP token as bearer. It renews before
 * {@code min(TimeToLive, IDP token lifetime) − 30 s} by logging in again with the current token,
 * as Milestone's BasicConnection sample does; concurrent callers share one login.
 */
public final class VmsTokenProvider {
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private final WebClient http;
    private final URI endpoint;
    private final IdpTokenProvider idp;
    private final Duration timeout;
    private final Clock clock;
    private final MilestoneMetrics metrics;
    private final String instanceId = UUID.randomUUID().toString();
    private VmsToken token;
    private Instant renewAt = Instant.EPOCH;
    private Future<VmsToken> inFlight;

    public VmsTokenProvider(WebClient http, URI managementServer, IdpTokenProvider idp, Duration timeout,
                            Clock clock, MilestoneMetrics metrics) {
        this.http = http;
        this.endpoint = managementServer.resolve(ServerCommandLogin.PATH);
        this.idp = idp;
        this.timeout = timeout;
        this.clock = clock;
        this.metrics = metrics;
    }

    public synchronized Future<VmsToken> token() {
        if (token != null && clock.instant().isBefore(renewAt)) {
            return Future.succeededFuture(token);
        }
        if (inFlight == null) {
            String current = token == null ? null : token.value();
            inFlight = metrics.time("vms_login", login(current, false)).andThen(ar -> {
                synchronized (this) {
                    inFlight = null;
                }
                metrics.tokenRenewed("vms", ar.succeeded());
            });
        }
        return inFlight;
    }

    /** Forgets a token a recording server refused (fault 20001/2), so the next call logs in anew. */
    public synchronized void invalidate(String rejected) {
        if (token != null && token.value().equals(rejected)) {
            token = null;
        }
    }

    private Future<VmsToken> login(String current, boolean retried) {
        return idp.token().compose(bearer -> http.postAbs(endpoint.toString())
                .timeout(timeout.toMillis())
                .bearerTokenAuthentication(bearer)
                .putHeader("Content-Type", "text/xml; charset=utf-8")
                .putHeader("SOAPAction", "\"" + ServerCommandLogin.LOGIN_ACTION + "\"")
                .sendBuffer(Buffer.buffer(ServerCommandLogin.request(instanceId, current)))
                .recover(e -> Future.failedFuture(XProtectHttp.unavailable("management server", e)))
                .compose(resp -> {
                    if (resp.statusCode() == 401) {
                        idp.invalidate(bearer);
                        return retried
                                ? Future.failedFuture(new XProtectAuthenticationException(
                                        "XProtect management server refused a fresh IDP token for Login"))
                                : login(current, true);
                    }
                    if (resp.statusCode() >= 500 && (resp.bodyAsString() == null
                            || !resp.bodyAsString().contains("Fault"))) {
                        return Future.failedFuture(new XProtectUnavailableException(
                                "XProtect management server answered " + XProtectHttp.describe(resp),
                                Duration.ofSeconds(5), null));
                    }
                    try {
                        return Future.succeededFuture(accept(ServerCommandLogin.parse(resp.bodyAsString()), current));
                    } catch (SoapFaultException e) {
                        if (current != null && !retried) {
                            // The old token may have expired already: log in afresh.
                            return login(null, true);
                        }
                        return Future.failedFuture(e);
                    }
                }));
    }

    private synchronized VmsToken accept(VmsToken t, String current) {
        Instant now = clock.instant();
        Instant limit = now.plus(t.timeToLive());
        Instant idpExpiry = idp.expiresAt();
        if (idpExpiry.isAfter(now) && idpExpiry.isBefore(limit)) {
            limit = idpExpiry;
        }
        token = t;
        renewAt = limit.minus(MARGIN).isAfter(now) ? limit.minus(MARGIN) : now.plus(Duration.between(now, limit)
                .dividedBy(2));
        return t;
    }
}
