package com.cns.gateway.milestone;

import java.net.URI;

/**
 * XpRecordingServer is an XProtect recording server: the {@code webServerUri} it advertises, and the
 * URI the gateway actually uses (the same unless overridden by configuration).
 */
public record XpRecordingServer(String id, String name, String hostName, URI webServerUri, URI effectiveUri) {
}
