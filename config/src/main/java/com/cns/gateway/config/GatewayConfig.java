package com.cns.gateway.config;

import java.nio.file.Path;

/**
 * GatewayConfig is every setting of one gateway instance, immutable, built once by the composition
 * root from defaults and environment variables. {@code instanceId} names this instance in leases and
 * logs when several share one database.
 */
public record GatewayConfig(
        HttpSettings http,
        DatabaseSettings database,
        Path dataDir,
        MilestoneSettings milestone,
        RecordingSettings recording,
        RecordingIndexSettings recordingIndex,
        PlaybackSettings playback,
        SimulatorSettings simulator,
        String instanceId,
        AuthSettings auth,
        ExportSettings exports) {
}
