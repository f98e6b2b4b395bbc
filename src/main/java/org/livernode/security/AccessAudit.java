package org.livernode.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts every answered read of patient data into the audit trail with its user: QIDO-RS searches and the REST
 * API's lists are queries, WADO-RS reads of a study are retrievals, STOW-RS uploads are transfers from the user; a
 * resend (admin), whatever its outcome, is a use of a restricted function.
 */
public class AccessAudit {
    /** QIDO-RS: a path that ends in a resource list (studies, series, instances). */
    private static final Pattern QIDO = Pattern.compile("/dicom-web(/studies/[^/]+(/series/[^/]+)?)?/(studies|series|instances)");
    private static final Pattern WADO = Pattern.compile("/dicom-web/studies/([^/]+)(/.*)?");
    private static final Pattern RESEND = Pattern.compile("/api/jobs/([^/]+)/resend");
    private static final Pattern API_READ = Pattern.compile("/api/(studies|series|jobs)(/.*)?");

    @Inject
    AuditTrail audit;
    @Inject
    SecurityIdentity identity;
    @Inject
    HttpServerRequest http;

    @ServerResponseFilter
    public void audit(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        int status = response.getStatus();
        if (identity.isAnonymous() || status == 401 || status == 403) {
            return;
        }
        String user = identity.getPrincipal().getName();
        String from = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        String method = request.getMethod();
        Matcher resend = RESEND.matcher(path);
        if (method.equals("POST") && resend.matches()) {
            audit.restrictedFunction(user, from, "resend of job " + resend.group(1) + ": HTTP " + status, status < 300);
            return;
        }
        if (status >= 400) {
            return;
        }
        String target = request.getUriInfo().getRequestUri().getRawPath()
                + (request.getUriInfo().getRequestUri().getRawQuery() == null ? "" : "?" + request.getUriInfo().getRequestUri().getRawQuery());
        if (method.equals("GET")) {
            Matcher wado = WADO.matcher(path);
            if (QIDO.matcher(path).matches() || API_READ.matcher(path).matches()) {
                audit.query(user, from, target);
            } else if (wado.matches()) {
                audit.retrieved(user, from, wado.group(1), audit.patientIdOf(wado.group(1)), target);
            }
        } else if (method.equals("POST") && path.startsWith("/dicom-web/studies")) {
            audit.received(user, from, null, wado(path), null, -1, status < 300);
        }
    }

    private static String wado(String path) {
        Matcher m = WADO.matcher(path);
        return m.matches() ? m.group(1) : null;
    }
}
