package com.cns.xprotect.simulator;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * RestConfigApi is the API Gateway's RESTful Config API under {@code /api/rest/v1}: sites, cameras,
 * hardware and recording servers, with the {@code {"array"}}/{@code {"data"}}/{@code {"error"}}
 * envelopes, 0-based {@code page}/{@code size} paging, enabled items only unless {@code disabled}
 * is given, and a bearer token on every request.
 */
final class RestConfigApi {
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");
    private final SimulatedSite site;
    private final TokenRegistry tokens;

    RestConfigApi(SimulatedSite site, TokenRegistry tokens) {
        this.site = site;
        this.tokens = tokens;
    }

    void mount(Router router) {
        String base = "/api/rest/v1";
        router.route(base + "/*").handler(this::authorize);
        router.get(base + "/sites").handler(ctx -> ctx.json(new JsonObject().put("array",
                SimulatedSite.array(List.of(site.siteJson())))));
        router.get(base + "/cameras").handler(ctx -> list(ctx, site.cameras(), c -> c.enabled(), site::cameraJson));
        router.get(base + "/cameras/:id").handler(ctx -> one(ctx, "cameras", site.camera(ctx.pathParam("id")),
                site::cameraJson));
        router.get(base + "/hardware").handler(ctx -> list(ctx, site.hardwareList(), h -> true, site::hardwareJson));
        router.get(base + "/hardware/:id").handler(ctx -> one(ctx, "hardware", site.hardware(ctx.pathParam("id")),
                site::hardwareJson));
        router.get(base + "/hardware/:id/cameras").handler(ctx -> {
            String hw = ctx.pathParam("id");
            if (validId(ctx, hw) && site.hardware(hw) != null) {
                list(ctx, site.cameras().stream().filter(c -> c.hardwareId().equals(hw)).toList(),
                        SimulatedSite.Camera::enabled, site::cameraJson);
            } else if (!ctx.response().ended()) {
                RestErrors.send(ctx, 404, "Invalid parent. hardware/" + hw + "/CameraFolder");
            }
        });
        router.get(base + "/recordingServers").handler(ctx -> list(ctx, site.recorders(), r -> true,
                site::recorderJson));
        router.get(base + "/recordingServers/:id").handler(ctx -> one(ctx, "recordingServers",
                site.recorder(ctx.pathParam("id")), site::recorderJson));
        router.get(base + "/recordingServers/:id/hardware").handler(ctx -> {
            String rs = ctx.pathParam("id");
            if (validId(ctx, rs) && site.recorder(rs) != null) {
                list(ctx, site.hardwareList().stream().filter(h -> h.recorderId().equals(rs)).toList(), h -> true,
                        site::hardwareJson);
            } else if (!ctx.response().ended()) {
                RestErrors.send(ctx, 404, "Invalid parent. recordingServers/" + rs + "/HardwareFolder");
            }
        });
        router.route(base + "/*").handler(ctx -> {
            String rest = ctx.request().path().substring(base.length() + 1);
            RestErrors.send(ctx, 404, "Unknown resource: " + rest.split("/")[0]);
        });
    }

    private void authorize(RoutingContext ctx) {
        String auth = ctx.request().getHeader("Authorization");
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        if (!tokens.validIdpToken(token)) {
            RestErrors.send(ctx, 401, "Unauthorized");
            return;
        }
        ctx.next();
    }

    private <T> void list(RoutingContext ctx, List<T> all, java.util.function.Predicate<T> enabled,
                          Function<T, JsonObject> json) {
        boolean includeDisabled = ctx.queryParams().contains("disabled");
        List<T> items = all.stream().filter(t -> includeDisabled || enabled.test(t)).toList();
        String page = ctx.queryParams().get("page");
        String size = ctx.queryParams().get("size");
        if (page != null || size != null) {
            int p;
            int s;
            try {
                p = page == null ? 0 : Integer.parseInt(page);
                s = size == null ? 100 : Integer.parseInt(size);
            } catch (NumberFormatException e) {
                RestErrors.send(ctx, 400, "Bad request: Invalid paging parameters");
                return;
            }
            if (p < 0 || s < 1) {
                RestErrors.send(ctx, 400, "Bad request: Invalid paging parameters");
                return;
            }
            long from = Math.min((long) p * s, items.size());
            items = items.subList((int) from, (int) Math.min(from + s, items.size()));
        }
        ctx.json(new JsonObject().put("array", SimulatedSite.array(items.stream().map(json).toList())));
    }

    private <T> void one(RoutingContext ctx, String type, T item, Function<T, JsonObject> json) {
        String id = ctx.pathParam("id");
        if (!validId(ctx, id)) {
            return;
        }
        if (item == null) {
            RestErrors.send(ctx, 404, "Object not found: " + type + "/" + id);
            return;
        }
        ctx.json(new JsonObject().put("data", json.apply(item)));
    }

    private static boolean validId(RoutingContext ctx, String id) {
        if (!GUID.matcher(id).matches()) {
            RestErrors.send(ctx, 400, "Bad request: Invalid id " + id);
            return false;
        }
        return true;
    }
}
