package com.cns.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * AuthSettings says how callers prove who they are. {@code LOCAL}: users kept in PostgreSQL, tokens
 * the gateway signs with keys every instance shares ({@code signingKeyFile}, or rotated keys in the
 * database); {@code OIDC}: tokens of the control room's identity provider, verified against its keys
 * found from {@code oidcIssuer}. Signed URLs let stock players fetch playlists and segments without
 * headers. {@code metricsAuth} asks a token on {@code /metrics} too.
 */
public record AuthSettings(
        Mode mode,
        Duration accessTokenTtl,
        Duration refreshTokenTtl,
        Duration keyRotation,
        Optional<Path> signingKeyFile,
        Optional<String> adminPassword,
        int passwordMinLength,
        Duration signedUrlTtl,
        Optional<String> urlSigningSecret,
        boolean metricsAuth,
        int loginMaxFailures,
        Duration loginLockout,
        int requestsPerMinute,
        Optional<URI> oidcIssuer,
        String oidcAudience,
        String oidcUsernameClaim,
        String oidcRoleClaim,
        String oidcCamerasClaim) {

    /** The issuer and audience of the tokens the gateway signs itself. */
    public static final String LOCAL_ISSUER = "cns-media-gateway";
    public static final String LOCAL_AUDIENCE = "cns-api";

    public enum Mode { LOCAL, OIDC }

    @Override
    public String toString() {
        return "AuthSettings[mode=" + mode + ", accessTokenTtl=" + accessTokenTtl + ", oidcIssuer="
                + oidcIssuer.map(URI::toString).orElse("-") + "]";
    }
}
