package com.cns.gateway.api.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/** FirstAdmin makes the user {@code admin} on a gateway that has no users yet (AUTH_MODE=local). */
public final class FirstAdmin {
    private static final Logger LOG = Logger.getLogger(FirstAdmin.class.getName());
    public static final String FIRST_ADMIN = "admin";
    private final Vertx vertx;
    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Clock clock;

    public FirstAdmin(Vertx vertx, UserRepository users, PasswordHasher hasher, Clock clock) {
        this.vertx = vertx;
        this.users = users;
        this.hasher = hasher;
        this.clock = clock;
    }

    /**
     * Creates the user {@code admin} when there are no users: with {@code configured} as password, or a
     * random one written to {@code passwordFile} and, once, to the log. Several instances starting at
     * once create it once.
     */
    public Future<Void> ensure(Optional<String> configured, Path passwordFile) {
        return users.count().compose(n -> {
            if (n > 0) {
                return Future.succeededFuture();
            }
            String password = configured.orElseGet(FirstAdmin::randomPassword);
            return vertx.executeBlocking(() -> hasher.hash(password)).compose(hash -> users.insert(new User(
                    UUID.randomUUID(), FIRST_ADMIN, hash, Role.ADMIN, CameraScope.ALL, clock.instant(), clock.instant())))
                    .compose(inserted -> {
                        if (inserted.isEmpty() || configured.isPresent()) {
                            if (inserted.isPresent()) {
                                LOG.info("Created the first user 'admin' with the password AUTH_ADMIN_PASSWORD gives");
                            }
                            return Future.succeededFuture();
                        }
                        return vertx.executeBlocking(() -> {
                            Files.createDirectories(passwordFile.getParent());
                            Files.writeString(passwordFile, password + "\n");
                            try {
                                Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
                            } catch (UnsupportedOperationException notPosix) {
                                // the file system has no POSIX permissions
                            }
                            LOG.warning("Created the first user 'admin' with the random password " + password
                                    + " (also in " + passwordFile + "); sign in and change it");
                            return null;
                        });
                    });
        });
    }

    private static String randomPassword() {
        byte[] raw = new byte[18];
        new SecureRandom().nextBytes(raw);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
