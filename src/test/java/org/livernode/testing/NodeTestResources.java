package org.livernode.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh data directory per test application and, with {@code -Dlivernode-test.database=postgresql}
 * (Maven profile {@code postgresql}), a fresh PostgreSQL database on 127.0.0.1:5432 made as the
 * {@code postgres} superuser (trust auth), owned by the role {@code livernode} (created if missing).
 */
public class NodeTestResources implements QuarkusTestResourceLifecycleManager {
    public static final String DATABASE_PROPERTY = "livernode-test.database";
    private static final String PG_SERVER = System.getProperty("livernode-test.postgresql-server", "127.0.0.1:5432");
    private static final String PG_ADMIN = System.getProperty("livernode-test.postgresql-admin", "postgres");

    private Path dataDir;
    private String database;

    public static boolean onPostgresql() {
        return "postgresql".equalsIgnoreCase(System.getProperty(DATABASE_PROPERTY, "h2"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        try {
            dataDir = Files.createTempDirectory("livernode-test-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a test data directory", e);
        }
        config.put("livernode.data-dir", dataDir.toString());
        if (onPostgresql()) {
            database = createDatabase("livernode_test_");
            config.put("quarkus.datasource.h2.active", "false");
            config.put("quarkus.hibernate-orm.h2.active", "false");
            config.put("quarkus.datasource.postgresql.active", "true");
            config.put("quarkus.hibernate-orm.postgresql.active", "true");
            config.put("quarkus.datasource.postgresql.jdbc.url", jdbcUrl(database));
            config.put("quarkus.datasource.postgresql.username", "livernode");
        }
        return config;
    }

    @Override
    public void stop() {
        if (database != null) {
            dropDatabase(database);
        }
        if (dataDir != null) {
            try {
                TestFiles.deleteTree(dataDir);
            } catch (IOException ignored) {
                // a temp folder left behind is harmless
            }
        }
    }

    /** Creates a fresh PostgreSQL database (name {@code prefix} + random) owned by the role livernode. */
    public static String createDatabase(String prefix) {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'livernode') THEN "
                + "CREATE ROLE livernode LOGIN; END IF; END $$", "CREATE DATABASE " + name + " OWNER livernode");
        return name;
    }

    /** Ends the sessions on {@code name} and drops it. */
    public static void dropDatabase(String name) {
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'",
                "DROP DATABASE IF EXISTS " + name);
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + PG_SERVER + "/" + database;
    }

    private static void admin(String... statements) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_SERVER + "/postgres", PG_ADMIN, "");
             Statement s = c.createStatement()) {
            for (String sql : statements) {
                if (sql.startsWith("SELECT")) {
                    try (ResultSet ignored = s.executeQuery(sql)) {
                        // terminates sessions
                    }
                } else {
                    s.execute(sql);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + PG_SERVER + " as " + PG_ADMIN + ": " + e.getMessage(), e);
        }
    }
}
