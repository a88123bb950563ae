package com.cns.gateway.config;

import java.util.Optional;

/**
 * DatabaseSettings names the PostgreSQL server, or none: then the gateway starts its own under
 * the data directory.
 */
public record DatabaseSettings(Optional<DatabaseUrl> url, int maxConnections) {
}
