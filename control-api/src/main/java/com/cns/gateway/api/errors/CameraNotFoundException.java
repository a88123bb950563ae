package com.cns.gateway.api.errors;

import java.util.UUID;

/**
 * CameraNotFoundException: no camera has this id, or the caller's camera permissions do not reach
 * it; both answer the same 404, so a caller cannot learn which cameras exist beyond its own.
 */
public final class CameraNotFoundException extends NotFoundException {
    public CameraNotFoundException(UUID id) {
        super("No camera with id " + id);
    }
}
