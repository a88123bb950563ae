package com.cns.gateway.config;

/** HttpSettings says where the gateway's HTTP server listens. */
public record HttpSettings(String host, int port) {
}
