package org.livernode.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.livernode.config.LivernodeConfig;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * There is never a fixed default password. At start, {@code livernode.security.admin-password}
 * (LIVERNODE_SECURITY_ADMIN_PASSWORD) becomes the admin's password; without it, the first start (no user yet)
 * makes an admin with a random password and prints it once on the console. Only its bcrypt hash is stored. Commands
 * that serve no HTTP (segment, train, evaluate, demo) leave the users alone, so the password is printed by
 * {@code serve}, where it is needed.
 */
@ApplicationScoped
public class AdminBootstrap {
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    UserStore users;
    @Inject
    LivernodeConfig config;
    @Inject
    AuditTrail audit;

    /** Off for the offline commands and the demo (bin/livernode): only a node that serves HTTP makes its admin. */
    @ConfigProperty(name = "quarkus.http.host-enabled", defaultValue = "true")
    boolean servesHttp;

    void onStart(@Observes StartupEvent event) {
        if (!servesHttp) {
            return;
        }
        String admin = config.security().adminUser();
        Optional<String> configured = config.security().adminPassword().filter(p -> !p.isBlank());
        try {
            if (configured.isPresent()) {
                if (users.verify(admin, configured.get().toCharArray()).isEmpty()) {
                    users.put(admin, configured.get(), Role.all());
                    audit.userChanged("livernode.security.admin-password", admin, Role.all());
                    LOG.infof("user %s: password set from livernode.security.admin-password", admin);
                }
            } else if (users.count() == 0) {
                String password = newPassword();
                users.put(admin, password, Role.all());
                audit.userChanged("first start", admin, Role.all());
                System.out.printf("livernode: first start: user '%s' (roles %s) has the password%n    %s%n"
                        + "livernode: it is shown only this once (stored as a bcrypt hash); set LIVERNODE_SECURITY_ADMIN_PASSWORD"
                        + " to choose one%n", admin, String.join(", ", Role.all()), password);
            }
        } catch (RuntimeException e) {
            // Another replica on the same database made the admin at the same moment: theirs stands.
            if (!users.exists(admin)) {
                throw e;
            }
            LOG.debugf("user %s was made by another replica: %s", admin, e.getMessage());
        }
    }

    /** 24 random bytes, URL-safe Base64 (32 characters, 192 bits). */
    static String newPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
