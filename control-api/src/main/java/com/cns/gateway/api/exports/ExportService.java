package com.cns.gateway.api.exports;

import com.cns.gateway.api.auth.Principal;
import com.cns.gateway.api.cameras.Camera;
import com.cns.gateway.api.cameras.CameraRepository;
import com.cns.gateway.api.events.EventHub;
import com.cns.gateway.api.http.ApiError;
import com.cns.gateway.config.ExportSettings;
import com.cns.gateway.media.export.ClipExporter;
import com.cns.gateway.media.playback.NothingRecordedException;
import com.cns.gateway.recordingindex.RecordingRuns;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * ExportService runs evidence exports: it records a job, and any instance with a free slot (at most
 * {@code EXPORT_CONCURRENCY} at once) claims the oldest waiting job under a lease, writes the MP4
 * with {@link ClipExporter} to a {@code .part} file, signs the manifest and only then renames the
 * file and marks the job completed, so a file is never served as done while half written. An
 * instance that dies leaves a job whose lease runs out; another instance starts it again from the
 * beginning, and after {@link #MAX_ATTEMPTS} such tries it fails with the reason. Progress goes to
 * the row and to WebSocket clients ({@code export_progress}, {@code export_done}) about once a second.
 */
public final class ExportService {
    private static final Logger LOG = Logger.getLogger(ExportService.class.getName());
    /** Claims of one job before it is failed as abandoned. */
    public static final int MAX_ATTEMPTS = 3;
    private static final long POLL_MS = 2000;
    private static final long PROGRESS_EVERY_MS = 1000;

    private final Vertx vertx;
    private final ExportRepository jobs;
    private final CameraRepository cameras;
    private final ClipExporter exporter;
    private final Future<ManifestSigner> signer;
    private final EventHub events;
    private final ExportSettings settings;
    private final String instanceId;
    private final Clock clock;
    private final Map<UUID, AtomicBoolean> running = new ConcurrentHashMap<>();
    private final Counter completed;
    private final Counter failed;
    private final Counter cancelled;
    private long poller = -1;
    private boolean claiming;

    public ExportService(Vertx vertx, ExportRepository jobs, CameraRepository cameras, ClipExporter exporter,
                         Future<ManifestSigner> signer, EventHub events, ExportSettings settings, String instanceId,
                         Clock clock, MeterRegistry registry) {
        this.vertx = vertx;
        this.jobs = jobs;
        this.cameras = cameras;
        this.exporter = exporter;
        this.signer = signer;
        this.events = events;
        this.settings = settings;
        this.instanceId = instanceId;
        this.clock = clock;
        this.completed = outcome(registry, "completed");
        this.failed = outcome(registry, "failed");
        this.cancelled = outcome(registry, "cancelled");
        io.micrometer.core.instrument.Gauge.builder("gateway_exports_running", running, Map::size)
                .description("Exports this instance is writing now").register(registry);
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("gateway_exports_total").tag("outcome", outcome)
                .description("Exports finished, by outcome").register(registry);
    }

    public ExportSettings settings() {
        return settings;
    }

    public Future<ManifestSigner> signer() {
        return signer;
    }

    /** Starts claiming waiting jobs: now, then every two seconds, and the retention sweep. */
    public void start() {
        try {
            Files.createDirectories(settings.dir());
        } catch (IOException e) {
            LOG.warning("EXPORT_DIR " + settings.dir() + " cannot be created: " + e.getMessage());
        }
        poller = vertx.setPeriodic(POLL_MS, t -> {
            claimWaiting();
            sweep();
        });
        claimWaiting();
    }

    public void stop() {
        if (poller >= 0) {
            vertx.cancelTimer(poller);
        }
        running.values().forEach(flag -> flag.set(true));
    }

    /** Records a job (validated) and tries to start it at once. */
    public Future<ExportJob> create(Camera camera, Instant start, Instant end, String format, boolean burn,
                                    String description, Principal who) {
        if (!end.isAfter(start)) {
            throw ApiError.badRequest("endTime must be after startTime");
        }
        if (end.isAfter(clock.instant())) {
            throw ApiError.badRequest("endTime is in the future: export only what is already recorded");
        }
        if (java.time.Duration.between(start, end).compareTo(settings.maxDuration()) > 0) {
            throw new ApiError(400, "an export may span at most " + settings.maxDuration().toMinutes()
                    + " minutes (EXPORT_MAX_DURATION)", new JsonObject().put("maxDurationSeconds",
                    settings.maxDuration().toSeconds()));
        }
        return jobs.insert(camera.id(), start, end, format, burn, description, who.username(), who.role().label(),
                clock.instant()).compose(job -> {
                    Future<ExportJob> started = claimWaiting().compose(v -> jobs.find(job.id()))
                            .map(o -> o.orElse(job));
                    return started;
                });
    }

    /** Cancels a waiting or running job, or removes a finished one and its file; false when there is no such job. */
    public Future<Boolean> cancelOrDelete(UUID id) {
        Instant now = clock.instant();
        return jobs.cancel(id, now, now.plus(settings.retention())).compose(c -> {
            if (c.isPresent()) {
                AtomicBoolean flag = running.get(id);
                if (flag != null) {
                    flag.set(true); // the owner is this instance: stop at once, not at the next lease renewal
                }
                cancelled.increment();
                publishDone(c.get(), "cancelled", null);
                return Future.succeededFuture(true);
            }
            return jobs.find(id).compose(found -> {
                if (found.isEmpty()) {
                    return Future.succeededFuture(false);
                }
                return deleteFiles(found.get()).compose(v -> jobs.delete(id));
            });
        });
    }

    /** The finished file of a job, on this instance's file system (EXPORT_DIR, shared in a cluster). */
    public Path file(ExportJob job) {
        return settings.dir().resolve(job.exportId() + ".mp4");
    }

    private Path part(ExportJob job) {
        return settings.dir().resolve(job.exportId() + ".mp4.part");
    }

    private Path scratch(ExportJob job) {
        return settings.dir().resolve(job.exportId() + ".mdat.part");
    }

    private Future<Void> deleteFiles(ExportJob job) {
        return vertx.executeBlocking(() -> {
            Files.deleteIfExists(file(job));
            Files.deleteIfExists(part(job));
            Files.deleteIfExists(scratch(job));
            return null;
        });
    }

    /** Claims jobs while this instance has free slots. */
    private Future<Void> claimWaiting() {
        if (claiming || running.size() >= settings.concurrency()) {
            return Future.succeededFuture();
        }
        claiming = true;
        Instant now = clock.instant();
        return jobs.failAbandoned(MAX_ATTEMPTS, now, now.plus(settings.retention())).compose(dead -> {
            dead.forEach(j -> {
                failed.increment();
                publishDone(j, "failed", j.error());
            });
            return jobs.claim(instanceId, now, now.plus(settings.lease()));
        }).compose(claimed -> {
            claiming = false;
            if (claimed.isEmpty()) {
                return Future.<Void>succeededFuture();
            }
            run(claimed.get());
            return claimWaiting();
        }).onFailure(e -> {
            claiming = false;
            LOG.fine("Export claim: " + e.getMessage());
        }).recover(e -> Future.succeededFuture());
    }

    private void run(ExportJob job) {
        AtomicBoolean stop = new AtomicBoolean();
        running.put(job.id(), stop);
        long renewal = vertx.setPeriodic(Math.max(200, settings.lease().toMillis() / 3), t ->
                jobs.renew(job.id(), instanceId, clock.instant().plus(settings.lease())).onSuccess(mine -> {
                    if (!mine) {
                        stop.set(true); // cancelled, or another instance took it over
                    }
                }));
        long[] lastProgress = {0};
        ClipExporter.Watcher watcher = new ClipExporter.Watcher() {
            @Override
            public void progress(long processedMs, long totalMs) {
                long now = System.nanoTime() / 1_000_000;
                if (now - lastProgress[0] < PROGRESS_EVERY_MS) {
                    return;
                }
                lastProgress[0] = now;
                jobs.progress(job.id(), instanceId, processedMs, totalMs);
                events.publish(new JsonObject().put("type", "export_progress").put("exportId", job.exportId())
                        .put("cameraId", job.cameraId().toString()).put("processedMs", processedMs)
                        .put("totalMs", totalMs).put("percent", totalMs <= 0 ? 0 : Math.min(100, processedMs * 100 / totalMs))
                        .put("timestamp", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString()));
            }

            @Override
            public boolean cancelled() {
                return stop.get();
            }

            @Override
            public void paused(String reason) {
                LOG.info("Export " + job.exportId() + " waits for the recorder and retries: " + reason);
            }
        };
        cameras.require(job.cameraId()).compose(camera -> vertx.executeBlocking(() -> {
            Files.createDirectories(settings.dir());
            Files.deleteIfExists(part(job));
            return null;
        }).compose(v -> exporter.export(camera.address(), job.startTime(), job.endTime(), job.burnTimestamp(), part(job), scratch(job),
                watcher)).compose(clip -> signer.compose(s -> finish(job, camera, clip, s))))
                .onComplete(ar -> {
                    vertx.cancelTimer(renewal);
                    running.remove(job.id());
                    if (ar.failed()) {
                        failed(job, ar.cause(), stop.get());
                    }
                    claimWaiting();
                });
    }

    private Future<Void> finish(ExportJob job, Camera camera, ClipExporter.Clip clip, ManifestSigner s) {
        Instant now = clock.instant();
        String manifest = s.sign(manifest(job, camera, clip, now));
        return vertx.executeBlocking(() -> {
            Files.move(part(job), file(job), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return null;
        }).compose(v -> jobs.complete(job.id(), instanceId, clip.sizeBytes(), clip.sha256(), manifest, now,
                now.plus(settings.retention()))).compose(done -> {
                    if (!done) {
                        // Cancelled (or taken over) while the last bytes were written: the file is not this job's result.
                        return deleteFiles(job);
                    }
                    completed.increment();
                    LOG.info("Export " + job.exportId() + " completed: " + clip.frames() + " frames, " + clip.sizeBytes()
                            + " bytes");
                    return events.publish(new JsonObject().put("type", "export_done").put("exportId", job.exportId())
                            .put("cameraId", job.cameraId().toString()).put("status", "completed")
                            .put("sizeBytes", clip.sizeBytes()).put("sha256", clip.sha256())
                            .put("timestamp", now.truncatedTo(ChronoUnit.MILLIS).toString()));
                });
    }

    private void failed(ExportJob job, Throwable e, boolean stopped) {
        Future<Void> cleanup = vertx.executeBlocking(() -> {
            Files.deleteIfExists(part(job));
            Files.deleteIfExists(scratch(job));
            return null;
        });
        if (e instanceof ClipExporter.CancelledException || stopped) {
            // Cancelled (the row says so already) or taken over by another instance: nothing to record.
            cleanup.onFailure(x -> LOG.fine("Export cleanup: " + x.getMessage()));
            return;
        }
        String reason = e instanceof NothingRecordedException ? "nothing is recorded in the range: " + e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        LOG.warning("Export " + job.exportId() + " failed: " + reason);
        Instant now = clock.instant();
        cleanup.eventually(() -> jobs.fail(job.id(), reason, now, now.plus(settings.retention()))).onSuccess(v -> {
            failed.increment();
            publishDone(job, "failed", reason);
        });
    }

    private void publishDone(ExportJob job, String status, String error) {
        events.publish(new JsonObject().put("type", "export_done").put("exportId", job.exportId())
                .put("cameraId", job.cameraId().toString()).put("status", status).put("error", error)
                .put("timestamp", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString()));
    }

    /**
     * Removes finished jobs past their retention: each file first, then its row, so a file whose
     * deletion failed keeps its row and is tried again at the next sweep, never left behind unlisted.
     */
    private void sweep() {
        jobs.expired(clock.instant()).onSuccess(gone -> gone.forEach(j -> deleteFiles(j).compose(v -> jobs.delete(j.id()))
                .onFailure(e -> LOG.warning("Expired export " + j.exportId() + " not deleted: " + e.getMessage()))))
                .onFailure(e -> LOG.fine("Export retention sweep: " + e.getMessage()));
    }

    /** The manifest of a finished export, before signing. */
    private JsonObject manifest(ExportJob job, Camera camera, ClipExporter.Clip clip, Instant now) {
        JsonArray runs = new JsonArray();
        for (RecordingRuns.Run r : clip.runs()) {
            runs.add(new JsonObject().put("startTime", r.start().toString()).put("endTime", r.end().toString()));
        }
        JsonArray gaps = new JsonArray();
        for (RecordingRuns.Span g : clip.gaps()) {
            gaps.add(new JsonObject().put("startTime", g.start().toString()).put("endTime", g.end().toString()));
        }
        JsonObject meta = camera.milestoneMetadata() == null ? new JsonObject() : camera.milestoneMetadata();
        return new JsonObject().put("manifestVersion", 1).put("exportId", job.exportId())
                .put("camera", new JsonObject().put("id", camera.id().toString()).put("name", camera.name())
                        .put("milestoneDeviceId", camera.milestoneDeviceId())
                        .put("recordingServer", camera.recordingServer())
                        .put("recordingServerUri", meta.getString("recordingServerUri")))
                .put("range", new JsonObject().put("startTime", job.startTime().toString())
                        .put("endTime", job.endTime().toString()))
                .put("runs", runs).put("gaps", gaps)
                .put("frameCount", clip.frames())
                .put("firstFrameTime", clip.firstFrame().toString())
                .put("lastFrameTime", clip.lastFrame().toString())
                .put("file", new JsonObject().put("name", job.fileName()).put("format", job.format())
                        .put("sizeBytes", clip.sizeBytes()).put("sha256", clip.sha256())
                        .put("videoCodec", "H.264").put("sourceCodec", clip.sourceCodec().label)
                        .put("transcoded", clip.transcoded()).put("burnedTimestamp", job.burnTimestamp())
                        .put("presentationOffsetMs", clip.presentationOffsetMs()))
                .put("description", job.description())
                .put("exportedBy", new JsonObject().put("username", job.createdBy()).put("role", job.createdRole()))
                .put("requestedAt", job.createdAt().toString())
                .put("exportedAt", now.toString())
                .put("instanceId", instanceId);
    }

    /** A job by its API id ({@code exp_<uuid>}); 404 when malformed or unknown. */
    public Future<ExportJob> require(String exportId) {
        UUID id = parse(exportId);
        return jobs.find(id).map(o -> o.orElseThrow(() -> ApiError.notFound("export " + exportId + " not found")));
    }

    private static UUID parse(String exportId) {
        if (exportId == null || !exportId.startsWith(ExportJob.ID_PREFIX)) {
            throw ApiError.notFound("export " + exportId + " not found: export ids look like exp_<uuid>");
        }
        try {
            return UUID.fromString(exportId.substring(ExportJob.ID_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw ApiError.notFound("export " + exportId + " not found: export ids look like exp_<uuid>");
        }
    }

    public ExportRepository jobs() {
        return jobs;
    }
}
