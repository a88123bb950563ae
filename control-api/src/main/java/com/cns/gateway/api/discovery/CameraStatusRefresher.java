package com.cns.gateway.api.discovery;

import com.cns.gateway.api.cameras.CameraRepository;
import com.cns.gateway.api.cameras.CameraStatus;
import com.cns.gateway.milestone.recorder.RecorderReachability;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * CameraStatusRefresher keeps imported cameras' ONLINE/OFFLINE status true between syncs: it probes
 * each recording server that imported cameras live on, once per interval, and updates the cameras
 * of the recorders whose reachability changed.
 */
public final class CameraStatusRefresher {
    private final CameraRepository cameras;
    private final RecorderReachability reachability;
    private long timer = -1;

    public CameraStatusRefresher(CameraRepository cameras, RecorderReachability reachability) {
        this.cameras = cameras;
        this.reachability = reachability;
    }

    public void start(Vertx vertx, Duration interval) {
        timer = vertx.setPeriodic(interval.toMillis(), t -> refresh());
    }

    public void stop(Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Probes every recorder once; answers how many cameras changed status. */
    public Future<Integer> refresh() {
        return cameras.recorderUris().compose(uris -> {
            List<Future<Integer>> changes = new ArrayList<>();
            for (String u : uris) {
                changes.add(reachability.reachable(URI.create(u)).compose(up -> cameras.updateStatusByRecorder(u,
                        up ? CameraStatus.ONLINE : CameraStatus.OFFLINE)));
            }
            return Future.join(changes).map(v -> changes.stream().filter(Future::succeeded)
                    .mapToInt(Future::result).sum());
        });
    }
}
