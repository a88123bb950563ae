package com.cns.gateway.api.auth;

/** ForbiddenException: the caller is known but its role does not allow the action (403, naming the role needed). */
public final class ForbiddenException extends RuntimeException {
    private final Role needed;
    private final Role role;

    public ForbiddenException(Role needed, Role role, String action) {
        super(action + " needs the " + needed.label() + " role; you are " + role.label(), null, false, false);
        this.needed = needed;
        this.role = role;
    }

    public Role needed() {
        return needed;
    }

    public Role role() {
        return role;
    }
}
