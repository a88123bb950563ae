package com.cns.gateway.api.cameras;

import com.cns.gateway.milestone.RecorderUnreachableException;
import com.cns.gateway.recordingindex.CameraAddress;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * RecorderRelocator finds where a camera's video went when its recording server cannot be reached:
 * XProtect moves a camera to a failover recording server when its own fails, and the recorder's
 * address (host, port) can change. On such a failure it re-reads the camera from XProtect (a
 * per-camera sync, which also sets its status from the new recorder's reachability), at most once per
 * {@code interval} per camera however many requests fail meanwhile, and when the camera now records
 * elsewhere it runs the operation again there; otherwise the original failure stands and the cameras
 * of the unreachable recorder are marked {@code OFFLINE} (the status refresher sets them back).
 */
public final class RecorderRelocator {
    private static final Logger LOG = Logger.getLogger(RecorderRelocator.class.getName());
    /**
     * Longest wait for XProtect's answer about where a camera records before the request fails as the
     * recorder's outage (503): when XProtect is down too, its calls are retried for seconds.
     */
    static final long RESYNC_WAIT_MS = 1000;

    private final CameraRepository cameras;
    private final Function<UUID, Future<Camera>> resync;
    private final Cache<UUID, Boolean> recentlyTried;

    /** {@code resync}: the per-camera sync with XProtect ({@link CameraService#sync}). */
    public RecorderRelocator(CameraRepository cameras, Function<UUID, Future<Camera>> resync, Duration interval,
                             Ticker ticker) {
        this.cameras = cameras;
        this.resync = resync;
        this.recentlyTried = Caffeine.newBuilder().expireAfterWrite(interval).ticker(ticker).maximumSize(100_000).build();
    }

    /** Runs {@code op} at the camera's address, and once more at its new one if it moved (see the class). */
    public <T> Future<T> at(UUID cameraId, Function<CameraAddress, Future<T>> op) {
        return cameras.address(cameraId).compose(before -> op.apply(before).recover(e ->
                relocated(cameraId, before, e).compose(op::apply)));
    }

    /** As {@link #at}, for an operation that reads the camera's recorder itself (a recording start). */
    public <T> Future<T> retrying(UUID cameraId, Supplier<Future<T>> op) {
        return cameras.address(cameraId).compose(before -> op.get().recover(e ->
                relocated(cameraId, before, e).compose(moved -> op.get())));
    }

    /** The camera's new address if {@code failure} is its recorder's outage and XProtect says it moved; else the failure. */
    private Future<CameraAddress> relocated(UUID cameraId, CameraAddress before, Throwable failure) {
        RecorderUnreachableException down = RecorderUnreachableException.in(failure);
        if (down == null || before.recorder() == null || recentlyTried.asMap().putIfAbsent(cameraId, true) != null) {
            return Future.failedFuture(failure);
        }
        return resync.apply(cameraId).timeout(RESYNC_WAIT_MS, TimeUnit.MILLISECONDS).transform(ar -> {
            if (ar.failed() && ar.cause() instanceof TimeoutException) {
                // XProtect is slow to answer too (or down, its calls retried): answer the failure now;
                // the sync goes on and updates the camera for the requests after this one.
                return Future.failedFuture(failure);
            }
            cameras.forget(cameraId);
            return cameras.address(cameraId);
        }).compose(after -> {
            if (after.recorder() == null || Objects.equals(after.recorder(), before.recorder())) {
                // Still there, and down: its cameras are OFFLINE until the status refresher finds it back.
                return cameras.updateStatusByRecorder(before.recorder().toString(), CameraStatus.OFFLINE)
                        .transform(ignored -> Future.failedFuture(failure));
            }
            LOG.info("Camera " + cameraId + " records on " + after.recorder() + " now (XProtect), not on "
                    + before.recorder() + ", which is unreachable; retrying there");
            return Future.succeededFuture(after);
        });
    }
}
