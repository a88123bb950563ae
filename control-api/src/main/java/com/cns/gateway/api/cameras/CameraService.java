package com.cns.gateway.api.cameras;

import com.cns.gateway.api.errors.CameraNotFoundException;
import com.cns.gateway.api.errors.ConflictException;
import com.cns.gateway.api.errors.NotFoundException;
import com.cns.gateway.milestone.XProtectNotFoundException;
import com.cns.gateway.milestone.XpCamera;
import com.cns.gateway.milestone.recorder.RecorderReachability;
import com.cns.gateway.milestone.rest.XProtectCameraDirectory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import java.time.Clock;
import java.util.UUID;

/**
 * CameraService imports cameras from XProtect, keeps them in sync, and lets operators edit and
 * delete them.
 */
public final class CameraService {
    /** What an operator sends to import a camera. */
    public record ImportRequest(String milestoneDeviceId, String name, String nameAr, CameraSource source,
                                CameraLocation location) {
    }

    /** What an operator may change on an imported camera; null fields are left alone. */
    public record Update(String name, String nameAr, boolean clearNameAr, CameraSource source,
                         CameraLocation location, boolean clearLocation) {
    }

    private final CameraRepository cameras;
    private final XProtectCameraDirectory directory;
    private final RecorderReachability reachability;
    private final MilestoneCameraMapper mapper;
    private final Clock clock;

    public CameraService(CameraRepository cameras, XProtectCameraDirectory directory,
                         RecorderReachability reachability, MilestoneCameraMapper mapper, Clock clock) {
        this.cameras = cameras;
        this.directory = directory;
        this.reachability = reachability;
        this.mapper = mapper;
        this.clock = clock;
    }

    public Future<Camera> importCamera(ImportRequest req) {
        String deviceId = req.milestoneDeviceId().toLowerCase();
        return cameras.findByDeviceId(deviceId).compose(existing -> {
            if (existing.isPresent()) {
                return Future.failedFuture(alreadyImported(existing.get().id()));
            }
            return directory.camera(deviceId)
                    .recover(e -> Future.failedFuture(e instanceof XProtectNotFoundException
                            ? new NotFoundException("XProtect has no camera with milestoneDeviceId " + deviceId) : e))
                    .compose(x -> reachable(x).compose(up -> cameras.insert(mapper.imported(x, req.name(),
                            req.nameAr(), req.source(), req.location(), up, clock.instant()))))
                    .recover(e -> isUniqueViolation(e)
                            ? cameras.findByDeviceId(deviceId).compose(c -> Future.failedFuture(
                                    alreadyImported(c.map(Camera::id).orElse(null))))
                            : Future.failedFuture(e));
        });
    }

    public Future<Camera> get(UUID id) {
        return cameras.find(id).compose(c -> c.map(Future::succeededFuture).orElseGet(() -> notFound(id)));
    }

    public Future<Camera> update(UUID id, Update u) {
        return get(id).compose(c -> {
            JsonObject meta = c.milestoneMetadata() == null ? new JsonObject() : c.milestoneMetadata().copy();
            if (u.name() != null) {
                meta.put("nameCustomized", true);
            }
            Camera changed = new Camera(c.id(), u.name() != null ? u.name() : c.name(),
                    u.clearNameAr() ? null : u.nameAr() != null ? u.nameAr() : c.nameAr(),
                    u.source() != null ? u.source() : c.source(), c.rtspUrl(), c.status(), c.ptzEnabled(),
                    c.recordingServer(), c.milestoneDeviceId(), c.milestoneServer(), c.lastMilestoneSync(), meta,
                    u.clearLocation() ? null : u.location() != null ? u.location() : c.location(), c.createdAt(),
                    clock.instant());
            return cameras.update(changed).compose(o -> o.map(Future::succeededFuture).orElseGet(() -> notFound(id)));
        });
    }

    /** Deletes a camera; one that is recording answers 409, so no recording session is orphaned. */
    public Future<Void> delete(UUID id) {
        return cameras.deleteUnlessRecording(id).compose(deleted -> deleted ? Future.succeededFuture()
                : cameras.find(id).compose(c -> c.isPresent()
                        ? Future.failedFuture(new ConflictException("Camera is recording; stop the recording first",
                                "cameraId", id.toString()))
                        : notFound(id)));
    }

    /** Refreshes one camera from XProtect; a device XProtect no longer has is marked ERROR and answers 404. */
    public Future<Camera> sync(UUID id) {
        return get(id).compose(c -> directory.camera(c.milestoneDeviceId())
                .compose(x -> reachable(x).compose(up -> cameras.update(mapper.synced(c, x, up, clock.instant()))))
                .compose(o -> o.map(Future::succeededFuture).orElseGet(() -> notFound(id)))
                .recover(e -> e instanceof XProtectNotFoundException
                        ? cameras.update(MilestoneCameraMapper.gone(c, clock.instant())).compose(x -> Future.failedFuture(
                                new CameraGoneException(id, c.milestoneDeviceId())))
                        : Future.failedFuture(e)));
    }

    private Future<Boolean> reachable(XpCamera x) {
        return x.recordingServer() == null ? Future.succeededFuture(false)
                : reachability.reachable(x.recordingServer().effectiveUri());
    }

    private static <T> Future<T> notFound(UUID id) {
        return Future.failedFuture(new CameraNotFoundException(id));
    }

    private static ConflictException alreadyImported(UUID cameraId) {
        return new ConflictException("Camera is already imported", "cameraId",
                cameraId == null ? null : cameraId.toString());
    }

    static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && CameraRepository.UNIQUE_VIOLATION.equals(pg.getSqlState());
    }
}
