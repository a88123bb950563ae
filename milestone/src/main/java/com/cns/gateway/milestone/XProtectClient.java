package com.cns.gateway.milestone;

import com.cns.gateway.config.MilestoneSettings;
import com.cns.gateway.milestone.idp.IdpTokenProvider;
import com.cns.gateway.milestone.recorder.RecorderReachability;
import com.cns.gateway.milestone.resilience.CircuitBreaker;
import com.cns.gateway.milestone.resilience.Retry;
import com.cns.gateway.milestone.rest.RecorderUriResolver;
import com.cns.gateway.milestone.rest.RestConfigClient;
import com.cns.gateway.milestone.rest.XProtectCameraDirectory;
import com.cns.gateway.milestone.soap.RecorderCommandClient;
import com.cns.gateway.milestone.soap.VmsTokenProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * XProtectClient is the gateway's connection to one XProtect system: token providers, the camera
 * directory, recorder reachability and health, sharing one pooled HTTP client and one circuit
 * breaker. The composition root makes one from {@link MilestoneSettings}.
 */
public final class XProtectClient {
    private static final int PAGE_SIZE = 100;
    private final WebClient http;
    private final IdpTokenProvider idp;
    private final VmsTokenProvider vms;
    private final XProtectCameraDirectory cameras;
    private final RecorderReachability reachability;
    private final XProtectHealth health;
    private final RecorderCommandClient recorders;

    public XProtectClient(Vertx vertx, MilestoneSettings s, URI managementServer, MeterRegistry registry,
                          Clock clock) {
        MilestoneMetrics metrics = new MilestoneMetrics(registry);
        this.http = XProtectHttp.client(vertx, s);
        CircuitBreaker breaker = new CircuitBreaker("management server", s.circuitFailureThreshold(),
                s.circuitOpenDuration(),
                clock);
        metrics.bindCircuit(breaker);
        Retry retry = new Retry(vertx, s.retryAttempts(), s.retryDelay());
        this.idp = s.authType() == com.cns.gateway.config.MilestoneAuthType.NTLM
                ? IdpTokenProvider.windowsUser(XProtectHttp.singleConnection(vertx, s), s.tokenEndpoint(managementServer),
                        s.username(), s.password(), s.sessionTimeout(), s.requestTimeout(), clock, metrics)
                : new IdpTokenProvider(http, s.tokenEndpoint(managementServer), s.username(), s.password(),
                        s.sessionTimeout(), s.requestTimeout(), clock, metrics);
        this.vms = new VmsTokenProvider(http, managementServer, idp, s.requestTimeout(), clock, metrics);
        RestConfigClient rest = new RestConfigClient(http, managementServer, idp, breaker, retry, s.requestTimeout(),
                metrics);
        this.cameras = new XProtectCameraDirectory(rest, new RecorderUriResolver(s.recorderOverrides()), PAGE_SIZE,
                s.catalogCacheTtl(), clock);
        Duration probeTimeout = s.requestTimeout().compareTo(Duration.ofSeconds(3)) < 0 ? s.requestTimeout()
                : Duration.ofSeconds(3);
        this.reachability = new RecorderReachability(vertx, probeTimeout, Duration.ofSeconds(5), clock);
        this.health = new XProtectHealth(cameras, vms, clock);
        this.recorders = new RecorderCommandClient(http, vms, retry, s.requestTimeout(), s.circuitFailureThreshold(),
                s.circuitOpenDuration(), clock, metrics);
    }

    /** Manual recording on recording servers (RecorderCommandService). */
    public RecorderCommandClient recorders() {
        return recorders;
    }

    public XProtectCameraDirectory cameras() {
        return cameras;
    }

    public VmsTokenProvider vmsTokens() {
        return vms;
    }

    public IdpTokenProvider idpTokens() {
        return idp;
    }

    public RecorderReachability reachability() {
        return reachability;
    }

    public XProtectHealth health() {
        return health;
    }

    public void close() {
        http.close();
    }
}
