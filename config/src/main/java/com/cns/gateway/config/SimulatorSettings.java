package com.cns.gateway.config;

/**
 * SimulatorSettings shape the embedded XProtect simulator that runs when no
 * {@code MILESTONE_BASE_URL} is configured.
 */
public record SimulatorSettings(int cameras, int recordingServers) {
}
