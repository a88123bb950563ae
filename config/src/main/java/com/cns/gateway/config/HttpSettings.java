package com.cns.gateway.config;

/**
 * HttpSettings says where the gateway's HTTP server listens, on how many event loops, and where
 * {@code /metrics} is served: on the API's port when {@code metricsPort} is empty, else only on its own.
 */
public record HttpSettings(String host, int port, int eventLoops, java.util.OptionalInt metricsPort) {
}
