package com.cns.gateway.api.cameras;

import static com.cns.gateway.api.http.JsonResponses.send;

import com.cns.gateway.api.auth.Access;
import com.cns.gateway.api.auth.CameraScope;
import com.cns.gateway.api.auth.Principal;
import com.cns.gateway.api.auth.Role;
import com.cns.gateway.api.http.ApiError;
import com.cns.gateway.api.http.Routes;
import io.vertx.core.http.HttpMethod;
import com.cns.gateway.api.http.RequestReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * CameraRoutes serves {@code /api/v1/cameras}: import from XProtect, list, read, edit, delete and
 * sync one camera, and (through {@link CameraSubRoutes}) its recordings. Each handler validates, calls one service method, and answers.
 */
public final class CameraRoutes {
    private final CameraService service;
    private final CameraRepository repository;
    private final List<CameraSubRoutes> nested;

    public CameraRoutes(CameraService service, CameraRepository repository, List<CameraSubRoutes> nested) {
        this.service = service;
        this.repository = repository;
        this.nested = List.copyOf(nested);
    }

    public Router router(Vertx vertx, Routes.Table table, Access access) {
        Routes r = new Routes(Router.router(vertx), "/api/v1/cameras", table, access, true);
        // Nested routes first: they hold the hot path (a player's segment requests), and the router tries
        // routes in order, a regular expression each; none of their paths can match the ones below.
        nested.forEach(n -> n.mount(r));
        r.audited(HttpMethod.POST, "/import", Role.ADMIN, "camera.import", this::importCamera);
        r.get("/", Role.VIEWER, this::list);
        r.get("/:id", Role.VIEWER, ctx -> answer(ctx, 200, service.get(RequestReader.pathUuid(ctx, "id"))));
        r.audited(HttpMethod.PUT, "/:id/sync", Role.ADMIN, "camera.sync",
                ctx -> answer(ctx, 200, service.sync(RequestReader.pathUuid(ctx, "id"))));
        r.audited(HttpMethod.PUT, "/:id", Role.ADMIN, "camera.update", this::update);
        r.audited(HttpMethod.DELETE, "/:id", Role.ADMIN, "camera.delete", ctx -> service.delete(RequestReader.pathUuid(ctx, "id"))
                .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail));
        return r.router();
    }

    private void importCamera(RoutingContext ctx) {
        JsonObject b = RequestReader.body(ctx, false);
        var deviceId = RequestReader.uuid(b, "milestoneDeviceId");
        if (deviceId == null) {
            throw ApiError.badRequest("Field 'milestoneDeviceId' is required: the XProtect camera id to import");
        }
        String name = RequestReader.string(b, "name", 255);
        String source = RequestReader.string(b, "source", 64);
        JsonObject loc = RequestReader.object(b, "location");
        var req = new CameraService.ImportRequest(deviceId.toString(), name == null || name.isBlank() ? null : name,
                RequestReader.string(b, "nameAr", 255),
                source == null ? CameraSource.OTHER : CameraSource.parse("source", source),
                loc == null ? null : CameraLocation.fromJson(loc));
        service.importCamera(req).onSuccess(c -> {
            ctx.response().putHeader("Location", "/api/v1/cameras/" + c.id());
            send(ctx, 201, CameraJson.of(c));
        }).onFailure(ctx::fail);
    }

    private void list(RoutingContext ctx) {
        int limit = RequestReader.queryInt(ctx, "limit", 100, 1, 1000);
        int offset = RequestReader.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        String s = ctx.queryParams().get("source");
        CameraSource source = s == null || s.isEmpty() ? null : CameraSource.parse("source", s);
        CameraScope scope = Principal.of(ctx).cameras();
        Future<java.util.List<Camera>> page = repository.list(source, scope, limit, offset);
        Future<Long> total = repository.count(source, scope);
        Future.all(page, total).onSuccess(v -> send(ctx, 200, CameraJson.page(page.result(), total.result(), limit,
                offset))).onFailure(ctx::fail);
    }

    private void update(RoutingContext ctx) {
        var id = RequestReader.pathUuid(ctx, "id");
        JsonObject b = RequestReader.body(ctx, false);
        for (String f : List.of("name", "source")) {
            if (b.containsKey(f) && b.getValue(f) == null) {
                throw new ApiError(400, "Field '" + f + "' cannot be cleared (null); leave it out to keep it "
                        + "(nameAr and location can be cleared)", new JsonObject().put("field", f));
            }
        }
        String name = RequestReader.string(b, "name", 255);
        if (name != null && name.isBlank()) {
            throw ApiError.badRequest("Field 'name' must not be blank");
        }
        String source = RequestReader.string(b, "source", 64);
        JsonObject loc = RequestReader.object(b, "location");
        var u = new CameraService.Update(name, RequestReader.string(b, "nameAr", 255),
                b.containsKey("nameAr") && b.getValue("nameAr") == null,
                source == null ? null : CameraSource.parse("source", source),
                loc == null ? null : CameraLocation.fromJson(loc),
                b.containsKey("location") && b.getValue("location") == null);
        answer(ctx, 200, service.update(id, u));
    }

    private static void answer(RoutingContext ctx, int status, Future<Camera> f) {
        f.onSuccess(c -> send(ctx, status, CameraJson.of(c))).onFailure(ctx::fail);
    }

}
