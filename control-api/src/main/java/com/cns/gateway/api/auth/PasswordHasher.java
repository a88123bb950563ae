package com.cns.gateway.api.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/**
 * PasswordHasher hashes and checks passwords with bcrypt (at.favre.lib's implementation, cost 11:
 * about a tenth of a second a check on this machine's cores, so guessing is slow and a login is not).
 * Callers run it on worker threads. Passwords longer than bcrypt's 72 bytes are refused at the API.
 */
public final class PasswordHasher {
    static final int COST = 11;
    public static final int MAX_BYTES = 72;
    /** A hash of a random password, checked when the user is unknown, so a login takes as long either way. */
    private final String decoy = hash(java.util.UUID.randomUUID().toString());

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return false;
        }
        return BCrypt.verifyer().verify(password.toCharArray(), hash == null ? decoy : hash).verified;
    }
}
