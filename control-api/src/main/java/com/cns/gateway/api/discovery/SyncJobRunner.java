package com.cns.gateway.api.discovery;

import com.cns.gateway.api.cameras.Camera;
import com.cns.gateway.api.cameras.CameraRepository;
import com.cns.gateway.api.cameras.CameraSource;
import com.cns.gateway.api.cameras.MilestoneCameraMapper;
import com.cns.gateway.milestone.XProtectNotFoundException;
import com.cns.gateway.milestone.XpCamera;
import com.cns.gateway.milestone.recorder.RecorderReachability;
import com.cns.gateway.milestone.rest.XProtectCameraDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * SyncJobRunner runs a bulk sync in the background: it reads XProtect's camera list once, refreshes
 * every imported camera (of the source filter, if any) from it, marks cameras XProtect no longer has
 * as ERROR (and disabled ones OFFLINE, as a per-camera sync does), and with {@code autoImport} imports
 * the cameras not yet imported. Progress and counts go to {@code milestone_sync_history} as it goes.
 */
public final class SyncJobRunner {
    private static final Logger LOG = Logger.getLogger(SyncJobRunner.class.getName());
    private static final int PROGRESS_EVERY = 25;
    /** How long a job's lease lasts; its owner renews it every third of that. */
    public static final Duration LEASE = Duration.ofSeconds(30);

    private final CameraRepository cameras;
    private final SyncHistoryRepository history;
    private final XProtectCameraDirectory directory;
    private final RecorderReachability reachability;
    private final MilestoneCameraMapper mapper;
    private final Clock clock;
    private final Vertx vertx;
    private final String instanceId;

    /** Jobs run on {@code vertx}, owned by {@code instanceId}, under a lease renewed while they run. */
    public SyncJobRunner(Vertx vertx, String instanceId, CameraRepository cameras, SyncHistoryRepository history,
                         XProtectCameraDirectory directory, RecorderReachability reachability,
                         MilestoneCameraMapper mapper, Clock clock) {
        this.vertx = vertx;
        this.instanceId = instanceId;
        this.cameras = cameras;
        this.history = history;
        this.directory = directory;
        this.reachability = reachability;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Records the job and starts it; the future completes with the job as soon as it is recorded. */
    public Future<SyncJob> start(CameraSource sourceFilter, boolean autoImport, String initiatedBy) {
        String filter = sourceFilter == null ? null : sourceFilter.name();
        String type = autoImport ? "full_sync" : "camera_discovery";
        return history.start(type, filter, autoImport, initiatedBy, clock.instant(), instanceId,
                clock.instant().plus(LEASE)).compose(id -> {
            long renewal = vertx.setPeriodic(LEASE.toMillis() / 3, t -> history.renew(id, clock.instant().plus(LEASE))
                    .onFailure(e -> LOG.warning("Could not renew the lease of sync job " + id + ": " + e.getMessage())));
            run(id, sourceFilter, autoImport).onComplete(ar -> vertx.cancelTimer(renewal));
            return history.find(id).map(o -> o.orElseThrow());
        });
    }

    private static final class Counts {
        int total;
        int processed;
        int discovered;
        int imported;
        int updated;
        final JsonArray errors = new JsonArray();
    }

    private Future<Void> run(UUID id, CameraSource filter, boolean autoImport) {
        Counts n = new Counts();
        return Future.all(directory.refresh(), cameras.allFromMilestone()).compose(cf -> {
            List<XpCamera> xp = cf.resultAt(0);
            List<Camera> ours = cf.resultAt(1);
            Map<String, XpCamera> byId = new HashMap<>();
            xp.forEach(x -> byId.put(x.id().toLowerCase(Locale.ROOT), x));
            Map<String, Camera> imported = new HashMap<>();
            ours.forEach(c -> imported.put(c.milestoneDeviceId().toLowerCase(Locale.ROOT), c));
            n.discovered = xp.size();
            List<Supplier<Future<Void>>> steps = new ArrayList<>();
            for (Camera c : ours) {
                if (filter == null || c.source() == filter) {
                    steps.add(() -> refresh(c, byId.get(c.milestoneDeviceId().toLowerCase(Locale.ROOT)), n));
                }
            }
            if (autoImport) {
                CameraSource source = filter == null ? CameraSource.OTHER : filter;
                for (XpCamera x : xp) {
                    if (!imported.containsKey(x.id().toLowerCase(Locale.ROOT))) {
                        steps.add(() -> importOne(x, source, n));
                    }
                }
            }
            n.total = steps.size();
            return history.progress(id, n.total, 0).compose(v -> chain(id, steps, 0, n));
        }).onComplete(ar -> {
            String status = ar.succeeded() ? "completed" : "failed";
            if (ar.failed()) {
                n.errors.add(new JsonObject().put("error", String.valueOf(ar.cause().getMessage())));
                LOG.warning("Sync job " + SyncJob.ID_PREFIX + id + " failed: " + ar.cause().getMessage());
            }
            history.finish(id, status, n.total, n.processed, n.discovered, n.imported, n.updated, n.errors,
                    clock.instant()).onFailure(e -> LOG.warning("Could not record the end of sync job " + id + ": " + e));
        });
    }

    private Future<Void> chain(UUID id, List<Supplier<Future<Void>>> steps, int i, Counts n) {
        if (i == steps.size()) {
            return Future.succeededFuture();
        }
        return steps.get(i).get().compose(v -> {
            n.processed++;
            Future<Void> p = n.processed % PROGRESS_EVERY == 0 ? history.progress(id, n.total, n.processed)
                    : Future.succeededFuture();
            return p.compose(x -> chain(id, steps, i + 1, n));
        });
    }

    private Future<Void> refresh(Camera c, XpCamera x, Counts n) {
        if (x == null) {
            // Not among the enabled cameras: disabled (OFFLINE, as a per-camera sync says), or gone (ERROR).
            return directory.camera(c.milestoneDeviceId()).compose(found -> refresh(c, found, n), e -> {
                if (!(e instanceof XProtectNotFoundException)) {
                    return Future.failedFuture(e);
                }
                n.errors.add(new JsonObject().put("cameraId", c.id().toString())
                        .put("milestoneDeviceId", c.milestoneDeviceId())
                        .put("error", "XProtect no longer has this camera; marked ERROR"));
                return cameras.update(MilestoneCameraMapper.gone(c, clock.instant())).mapEmpty();
            });
        }
        return reachable(x).compose(up -> cameras.update(mapper.synced(c, x, up, clock.instant())))
                .map(o -> {
                    o.ifPresent(u -> n.updated++);
                    return null;
                });
    }

    private Future<Void> importOne(XpCamera x, CameraSource source, Counts n) {
        return reachable(x).compose(up -> cameras.insert(mapper.imported(x, null, null, source, null, up,
                        clock.instant())))
                .<Void>map(c -> {
                    n.imported++;
                    return null;
                })
                // Another instance or operator imported it meanwhile: nothing to do.
                .recover(e -> e instanceof io.vertx.pgclient.PgException pg
                        && CameraRepository.UNIQUE_VIOLATION.equals(pg.getSqlState())
                        ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private Future<Boolean> reachable(XpCamera x) {
        return x.recordingServer() == null ? Future.succeededFuture(false)
                : reachability.reachable(x.recordingServer().effectiveUri());
    }
}
