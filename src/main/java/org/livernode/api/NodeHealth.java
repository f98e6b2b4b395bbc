package org.livernode.api;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.hibernate.Session;
import org.livernode.dicom.DicomNode;

/** Health at /q/health: live while the process runs; ready when the DICOM port listens and the database answers. */
public final class NodeHealth {
    private NodeHealth() {
    }

    @Liveness
    @ApplicationScoped
    public static class Alive implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.up("livernode");
        }
    }

    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        DicomNode node;
        @Inject
        Session session;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("livernode");
            boolean listening = node.isListening();
            b.withData("dicom", listening ? node.aeTitle() + " listening on port " + node.port() : "not listening");
            boolean database;
            try {
                database = QuarkusTransaction.requiringNew().call(() ->
                        session.createNativeQuery("select 1", Integer.class).getSingleResult()) == 1;
                b.withData("database", "up");
            } catch (Exception e) {
                database = false;
                b.withData("database", "down: " + e.getMessage());
            }
            return b.status(listening && database).build();
        }
    }
}
