package com.cns.gateway.config;

import java.time.Duration;

/**
 * RecordingIndexSettings govern what-is-recorded queries: the gap tolerance that merges sequences
 * (shared by queries, timelines and playlists) and how long sequence blocks are cached.
 *
 * @param cacheTtl     how long a past hour block stays cached (memory and PostgreSQL)
 * @param liveBlockTtl how long the block that contains now is reused before XProtect is asked again
 */
public record RecordingIndexSettings(Duration gapTolerance, Duration cacheTtl, Duration liveBlockTtl,
                                     int maxCachedBlocks) {
}
