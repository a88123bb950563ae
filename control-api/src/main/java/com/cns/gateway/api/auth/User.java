package com.cns.gateway.api.auth;

import java.time.Instant;
import java.util.UUID;

/** User is one of the gateway's own users (AUTH_MODE=local), as kept in {@code gateway_users}. */
public record User(UUID id, String username, String passwordHash, Role role, CameraScope cameras, Instant createdAt,
                   Instant updatedAt) {
    public Principal principal() {
        return new Principal(username, role, cameras);
    }

    @Override
    public String toString() {
        return "User[" + username + ", " + role.label() + "]";
    }
}
