package com.cns.gateway.api.cameras;

import com.cns.gateway.api.http.Routes;

/** CameraSubRoutes adds a camera's nested resources ({@code /{id}/recordings/...}) to the cameras router. */
public interface CameraSubRoutes {
    void mount(Routes cameras);
}
