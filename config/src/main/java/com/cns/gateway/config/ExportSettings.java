package com.cns.gateway.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * ExportSettings govern evidence exports: where the files go, the longest range one export may hold,
 * how many run at once on an instance (the rest queue), how long a finished export is kept, and the
 * lease under which an instance owns a running export.
 *
 * @param dir         {@code EXPORT_DIR}, default {@code DATA_DIR/exports}; shared by every instance of a cluster
 * @param maxDuration {@code EXPORT_MAX_DURATION}, default 24 h
 * @param concurrency {@code EXPORT_CONCURRENCY}, default 2, per instance
 * @param retention   {@code EXPORT_RETENTION}, default 7 days after completion
 * @param lease       {@code EXPORT_LEASE}, default 30 s; another instance takes a job over once it runs out
 * @param parallelWalks {@code EXPORT_PARALLEL_WALKS}, default 8: stretches of one export read from the recorder at
 *                    once, each on an ImageServer connection of its own (of {@code MILESTONE_IMAGESERVER_CONNECTIONS})
 */
public record ExportSettings(Path dir, Duration maxDuration, int concurrency, Duration retention, Duration lease,
                             int parallelWalks) {
}
