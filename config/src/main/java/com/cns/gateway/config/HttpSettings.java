package com.cns.gateway.config;

/** HttpSettings says where the gateway's HTTP server listens, and on how many event loops. */
public record HttpSettings(String host, int port, int eventLoops) {
}
