package com.cns.gateway.config;

/**
 * HttpSettings says where the gateway's HTTP server listens, on how many event loops, where
 * {@code /metrics} is served (on the API's port when {@code metricsPort} is empty, else only on its
 * own), which browser origins may call the API ({@code *}: any), how long a connection may stay
 * idle and how long a client may take to send a request's headers, and the certificate and key of
 * HTTPS when the gateway terminates TLS itself.
 */
public record HttpSettings(String host, int port, int eventLoops, java.util.OptionalInt metricsPort,
                           java.util.List<String> corsOrigins, java.time.Duration idleTimeout,
                           java.time.Duration headerTimeout, java.util.Optional<java.nio.file.Path> tlsCertFile,
                           java.util.Optional<java.nio.file.Path> tlsKeyFile, TrustedProxies trustedProxies) {
    public boolean tls() {
        return tlsCertFile.isPresent();
    }
}
