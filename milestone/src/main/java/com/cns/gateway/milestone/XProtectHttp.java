package com.cns.gateway.milestone;

import com.cns.gateway.config.MilestoneSettings;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * XProtectHttp builds the pooled, keep-alive HTTP client used for every XProtect HTTP call (IDP,
 * REST, SOAP) with the configured TLS trust, and turns transport failures and 5xx answers into
 * {@link XProtectUnavailableException}.
 */
public final class XProtectHttp {
    private XProtectHttp() {
    }

    public static WebClient client(Vertx vertx, MilestoneSettings s) {
        return WebClient.create(vertx, options(s), new PoolOptions().setHttp1MaxSize(s.maxConnections()));
    }

    /**
     * A client of one connection, for NTLM: its three legs must travel on one TCP connection, which
     * a pool shared with other requests does not promise.
     */
    public static WebClient singleConnection(Vertx vertx, MilestoneSettings s) {
        return WebClient.create(vertx, options(s), new PoolOptions().setHttp1MaxSize(1));
    }

    private static WebClientOptions options(MilestoneSettings s) {
        WebClientOptions o = new WebClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, s.requestTimeout().toMillis()))
                .setIdleTimeout(60)
                .setUserAgent("cns-media-gateway")
                .setFollowRedirects(false);
        o.setMetricsName("xprotect");
        s.tls().caFile().ifPresent(ca -> o.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
        if (!s.tls().verify()) {
            o.setTrustAll(true).setVerifyHost(false);
        }
        return o;
    }

    /**
     * A TCP client for ImageServer connections to recording servers, TLS when {@code tls} (for
     * https recorders), trusting the same CA as the HTTP client.
     */
    public static NetClient netClient(Vertx vertx, MilestoneSettings s, boolean tls) {
        NetClientOptions o = new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, s.requestTimeout().toMillis()))
                .setTcpNoDelay(true);
        o.setMetricsName(tls ? "imageserver-tls" : "imageserver");
        if (tls) {
            o.setSsl(true);
            s.tls().caFile().ifPresent(ca -> o.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
            if (!s.tls().verify()) {
                o.setTrustAll(true).setHostnameVerificationAlgorithm("");
            } else {
                o.setHostnameVerificationAlgorithm("HTTPS");
            }
        }
        return vertx.createNetClient(o);
    }

    /** A transport failure (refused, reset, timed out, TLS) as an outage of {@code what}. */
    public static XProtectUnavailableException unavailable(String what, Throwable cause) {
        if (cause instanceof XProtectUnavailableException u) {
            return u;
        }
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new XProtectUnavailableException("XProtect " + what + " is unreachable: " + reason,
                Duration.ofSeconds(5), cause);
    }

    /** The {@code errorText}s of a REST error envelope, or the start of the body. */
    public static String describe(HttpResponse<Buffer> r) {
        String body = r.bodyAsString();
        if (body == null) {
            return "HTTP " + r.statusCode();
        }
        try {
            JsonObject error = new JsonObject(body).getJsonObject("error");
            if (error != null && error.getJsonArray("details") != null && !error.getJsonArray("details").isEmpty()) {
                StringBuilder sb = new StringBuilder();
                error.getJsonArray("details").forEach(d -> {
                    if (d instanceof JsonObject j && j.getString("errorText") != null) {
                        sb.append(sb.length() == 0 ? "" : "; ").append(j.getString("errorText"));
                    }
                });
                return "HTTP " + r.statusCode() + ": " + sb;
            }
        } catch (RuntimeException notJson) {
            // fall through to the raw body
        }
        return "HTTP " + r.statusCode() + ": " + body.substring(0, Math.min(200, body.length()));
    }
}
