package com.cns.gateway.api.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * DatabaseMigrator applies the Flyway migrations under {@code db/migration}. It blocks (JDBC), so
 * callers run it on a worker thread. Several instances starting together are safe: Flyway takes a
 * PostgreSQL advisory lock.
 */
public final class DatabaseMigrator {
    private DatabaseMigrator() {
    }

    /** Migrates and answers the schema version now in force. */
    public static String migrate(String jdbcUrl, String user, String password) {
        MigrateResult r = Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return r.targetSchemaVersion != null ? r.targetSchemaVersion
                : Flyway.configure().dataSource(jdbcUrl, user, password).load().info().current().getVersion().getVersion();
    }
}
