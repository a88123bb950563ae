package com.cns.gateway.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TlsSettings says how the gateway trusts XProtect's https endpoints: a private CA file (PEM), or
 * no verification at all for a lab server.
 */
public record TlsSettings(Optional<Path> caFile, boolean verify) {
}
