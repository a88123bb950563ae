package com.cns.gateway.api.cameras;

import io.vertx.ext.web.Router;

/** CameraSubRoutes adds a camera's nested resources ({@code /{id}/recordings/...}) to the cameras router. */
public interface CameraSubRoutes {
    void mount(Router cameras);
}
