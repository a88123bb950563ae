package com.cns.gateway.milestone.rest;

import com.cns.gateway.milestone.XProtectException;
import com.cns.gateway.milestone.XpCamera;
import com.cns.gateway.milestone.XpHardware;
import com.cns.gateway.milestone.XpRecordingServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * XProtectCameraDirectory lists XProtect's cameras with their recording servers. Cameras do not
 * name their recorder: each is joined through {@code relations.parent} (hardware) and the
 * hardware's parent (a recording server). Collections are read page by page ({@code page}/{@code size},
 * 0-based) until a short page; the joined listing is kept for a short TTL so that an operator paging
 * through the discovery list does not re-read thousands of cameras for every page.
 */
public final class XProtectCameraDirectory {
    private final RestConfigClient rest;
    private final RecorderUriResolver resolver;
    private final int pageSize;
    private final Duration ttl;
    private final Clock clock;
    private List<XpCamera> cached;
    private Instant cachedAt = Instant.EPOCH;
    private Future<List<XpCamera>> inFlight;

    public XProtectCameraDirectory(RestConfigClient rest, RecorderUriResolver resolver, int pageSize, Duration ttl,
                                   Clock clock) {
        this.rest = rest;
        this.resolver = resolver;
        this.pageSize = pageSize;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Every enabled camera with its recording server, in XProtect's order; may be up to the TTL old. */
    public synchronized Future<List<XpCamera>> cameras() {
        if (cached != null && clock.instant().isBefore(cachedAt.plus(ttl))) {
            return Future.succeededFuture(cached);
        }
        return refresh();
    }

    /** Every enabled camera read fresh from XProtect (a sync must not act on a cached listing). */
    public synchronized Future<List<XpCamera>> refresh() {
        if (inFlight == null) {
            inFlight = loadAll().andThen(ar -> {
                synchronized (this) {
                    inFlight = null;
                    if (ar.succeeded()) {
                        cached = ar.result();
                        cachedAt = clock.instant();
                    }
                }
            });
        }
        return inFlight;
    }

    /** One camera, read fresh from XProtect; fails with XProtectNotFoundException if it does not exist. */
    public Future<XpCamera> camera(String id) {
        return rest.get("cameras/" + id, "get_camera").map(b -> RestConfigParser.data(b, RestConfigParser::camera))
                .compose(cam -> cam.hardwareId() == null ? Future.succeededFuture(cam)
                        : rest.get("hardware/" + cam.hardwareId(), "get_hardware")
                                .map(b -> RestConfigParser.data(b, RestConfigParser::hardware))
                                .compose(hw -> hw.recordingServerId() == null ? Future.succeededFuture(cam)
                                        : rest.get("recordingServers/" + hw.recordingServerId(), "get_recording_server")
                                                .map(b -> cam.withRecordingServer(resolver.resolve(
                                                        RestConfigParser.data(b, RestConfigParser::recordingServer))))));
    }

    /** Reads the management server's site list: the cheapest call that proves the API answers. */
    public Future<Void> probe() {
        return rest.get("sites", "list_sites").mapEmpty();
    }

    private Future<List<XpCamera>> loadAll() {
        Future<List<XpCamera>> cams = pages("cameras", "list_cameras", RestConfigParser::camera);
        Future<List<XpHardware>> hw = pages("hardware", "list_hardware", RestConfigParser::hardware);
        Future<List<RestConfigParser.RecordingServerEntry>> rs = pages("recordingServers", "list_recording_servers",
                RestConfigParser::recordingServer);
        return Future.all(cams, hw, rs).map(v -> join(cams.result(), hw.result(), rs.result()));
    }

    private List<XpCamera> join(List<XpCamera> cams, List<XpHardware> hardware,
                                List<RestConfigParser.RecordingServerEntry> servers) {
        Map<String, XpRecordingServer> byId = new HashMap<>();
        servers.forEach(s -> byId.put(s.id(), resolver.resolve(s)));
        Map<String, String> recorderOfHardware = new HashMap<>();
        hardware.forEach(h -> recorderOfHardware.put(h.id(), h.recordingServerId()));
        List<XpCamera> out = new ArrayList<>(cams.size());
        for (XpCamera c : cams) {
            String rsId = c.hardwareId() == null ? null : recorderOfHardware.get(c.hardwareId());
            out.add(c.withRecordingServer(rsId == null ? null : byId.get(rsId)));
        }
        return List.copyOf(out);
    }

    private <T> Future<List<T>> pages(String collection, String operation, Function<JsonObject, T> item) {
        List<T> all = new ArrayList<>();
        return page(collection, operation, item, 0, all);
    }

    private <T> Future<List<T>> page(String collection, String operation, Function<JsonObject, T> item, int page,
                                     List<T> all) {
        return rest.get(collection + "?page=" + page + "&size=" + pageSize, operation).compose(body -> {
            List<T> items = RestConfigParser.array(body, item);
            all.addAll(items);
            if (items.size() < pageSize) {
                return Future.succeededFuture(all);
            }
            if (page > 100_000) {
                return Future.failedFuture(new XProtectException("XProtect " + collection + " paging did not end"));
            }
            return page(collection, operation, item, page + 1, all);
        });
    }
}
