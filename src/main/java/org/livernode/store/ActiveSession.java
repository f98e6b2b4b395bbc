package org.livernode.store;

import io.quarkus.arc.InjectableInstance;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Produces;
import org.hibernate.Session;

/**
 * Hands out the Hibernate session of whichever database is active. Quarkus fixes a datasource's kind at
 * build time, so both H2 and PostgreSQL are built in and the {@code postgresql} profile switches between them.
 */
@ApplicationScoped
public class ActiveSession {

    @Produces
    @ApplicationScoped
    @Default
    Session session(@PersistenceUnit("h2") InjectableInstance<Session> h2,
                    @PersistenceUnit("postgresql") InjectableInstance<Session> postgresql) {
        if (h2.getHandle().getBean().isActive()) {
            return h2.get();
        }
        if (postgresql.getHandle().getBean().isActive()) {
            return postgresql.get();
        }
        throw new IllegalStateException("No database is active: set quarkus.datasource.h2.active or "
                + "quarkus.datasource.postgresql.active (or run with QUARKUS_PROFILE=postgresql)");
    }
}
