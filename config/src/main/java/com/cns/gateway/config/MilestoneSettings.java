package com.cns.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * MilestoneSettings describes the XProtect management server and how to talk to it. An empty
 * {@code baseUrl} means no server was configured and the embedded simulator is used.
 *
 * @param idpTokenUrl        where to ask for tokens; by default the API Gateway's
 *                           {@code /API/IDP/connect/token}
 * @param recorderOverrides  recording-server id or host name → the URI to use instead of its
 *                           advertised {@code webServerUri} (often an internal name)
 * @param rtspBaseUrl        base of the RTSP URLs handed to operators, or empty for none
 */
public record MilestoneSettings(
        Optional<URI> baseUrl,
        String username,
        String password,
        MilestoneAuthType authType,
        Optional<URI> idpTokenUrl,
        Duration sessionTimeout,
        int maxConnections,
        int retryAttempts,
        Duration retryDelay,
        Duration requestTimeout,
        int circuitFailureThreshold,
        Duration circuitOpenDuration,
        TlsSettings tls,
        Map<String, URI> recorderOverrides,
        Optional<URI> rtspBaseUrl,
        Duration catalogCacheTtl,
        Duration statusProbeInterval) {

    /** The token endpoint actually used: the configured one or the API Gateway's on the base URL. */
    /**
     * The IDP's token endpoint: {@code MILESTONE_IDP_URL}, else through the API Gateway for a basic
     * user, or the IDP itself for a Windows user (the API Gateway does not pass NTLM through).
     */
    public URI tokenEndpoint(URI base) {
        return idpTokenUrl.orElseGet(() -> base.resolve(authType == MilestoneAuthType.NTLM ? "/IDP/connect/token"
                : "/API/IDP/connect/token"));
    }

    @Override
    public String toString() {
        return "MilestoneSettings[baseUrl=" + baseUrl.map(Object::toString).orElse("(simulator)")
                + ", username=" + username + ", password=***, authType=" + authType
                + ", tls=" + tls + ", recorderOverrides=" + recorderOverrides + "]";
    }
}
