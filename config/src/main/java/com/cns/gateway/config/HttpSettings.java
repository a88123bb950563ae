package com.cns.gateway.config;

/**
 * HttpSettings says where the gateway's HTTP server listens, on how many event loops, where
 * {@code /metrics} is served (on the API's port when {@code metricsPort} is empty, else only on its
 * own), and which browser origins may call the API ({@code *}: any).
 */
public record HttpSettings(String host, int port, int eventLoops, java.util.OptionalInt metricsPort,
                           java.util.List<String> corsOrigins) {
}
