package org.livernode.api.dicomweb;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.livernode.api.ProblemException;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.CallerPolicy;
import org.livernode.security.AuditTrail;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * STOW-RS obeys the DICOM port's allow-list ({@code livernode.dicom.allowed-callers}) as well as the uploader role:
 * with a list set, only a host named in an {@code AET@host} entry may upload. A refused upload is audited.
 */
@ApplicationScoped
public class StowAccess {
    @Inject
    LivernodeConfig config;
    @Inject
    AuditTrail audit;
    @Inject
    SecurityIdentity identity;

    private volatile CallerPolicy callers;

    void requireAllowed(String host) {
        if (callers == null) {
            callers = CallerPolicy.of(config.dicom().allowedCallers().orElse(List.of()));
        }
        InetAddress from;
        try {
            from = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            from = null;
        }
        if (from == null || !callers.allowsHost(from)) {
            String user = identity.isAnonymous() ? null : identity.getPrincipal().getName();
            audit.refused(user, host, "STOW-RS from a host not in livernode.dicom.allowed-callers");
            throw new ProblemException(403, "urn:livernode:problem:caller-not-allowed", "Caller not allowed",
                    "uploads from " + host + " are refused: livernode.dicom.allowed-callers names no AET@host entry for it");
        }
    }
}
