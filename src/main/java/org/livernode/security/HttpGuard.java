package org.livernode.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP edge of the security rules, before any resource runs: security headers on every response; a
 * state-changing request sent by a browser from another origin is refused (CSRF: the browser's Origin or
 * Sec-Fetch-Site header says where the page was); and a refused request becomes an RFC 7807 problem, 401 without
 * (valid) credentials, 403 without the role. A browser opening a page without a session is sent to the login form.
 */
@ApplicationScoped
public class HttpGuard {
    public static final String LOGIN_PAGE = "/login.html";
    /** The REST API's problem type (api.Problem), written here as the same RFC 7807 fields. */
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @Inject
    ObjectMapper json;

    void routes(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::guard);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::refused);
    }

    /** Quarkus' challenge to a caller without credentials ({@link ProblemChallenge}): a 401 problem or the login form. */
    void challenge(RoutingContext ctx) {
        answer(ctx, new UnauthorizedException());
    }

    private void guard(RoutingContext ctx) {
        var headers = ctx.response().headers();
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        // No framing (click-jacking), forms post only here; scripts are left to the pages (OHIF's are its own).
        headers.set("Content-Security-Policy", "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'");
        if ("https".equals(ctx.request().scheme())) {
            headers.set("Strict-Transport-Security", "max-age=31536000");
        }
        if (!SAFE.contains(ctx.request().method()) && crossSite(ctx)) {
            problem(ctx, 403, "urn:livernode:problem:cross-site-request", "Cross-site request refused",
                    "a " + ctx.request().method() + " from another origin (" + ctx.request().getHeader("Origin")
                            + ") is refused: state-changing requests must come from this node's own pages");
            return;
        }
        ctx.next();
    }

    /** True when a browser says the request comes from a page of another origin. */
    static boolean crossSite(RoutingContext ctx) {
        String fetchSite = ctx.request().getHeader("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return true;
        }
        String origin = ctx.request().getHeader("Origin");
        if (origin == null) {
            return false; // not sent by a browser's cross-origin request (scripts, DICOMweb clients)
        }
        String host = ctx.request().getHeader(HttpHeaders.HOST);
        try {
            URI o = URI.create(origin);
            String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host == null || !(authority.equalsIgnoreCase(host) || o.getHost() != null && host.equalsIgnoreCase(o.getHost()));
        } catch (IllegalArgumentException e) {
            return true; // "null" or garbage: a sandboxed or privacy-stripped origin is never our own page
        }
    }

    private void refused(RoutingContext ctx) {
        if (!answer(ctx, ctx.failure())) {
            ctx.next();
        }
    }

    /** Answers a refusal as a problem (or a redirect to the login form); false when {@code f} is no refusal. */
    boolean answer(RoutingContext ctx, Throwable f) {
        boolean anonymous = !(ctx.user() instanceof QuarkusHttpUser u) || u.getSecurityIdentity().isAnonymous();
        boolean unauthenticated = f instanceof UnauthorizedException || f instanceof AuthenticationFailedException
                || f instanceof AuthenticationCompletionException || f instanceof ForbiddenException && anonymous;
        if (unauthenticated) {
            if (browserNavigation(ctx)) {
                ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, LOGIN_PAGE + "?next="
                        + URLEncoder.encode(ctx.request().uri(), StandardCharsets.UTF_8)).end();
                return true;
            }
            // No Basic challenge for the node's own pages' scripts: the browser would pop up its password dialog.
            if (ctx.request().getHeader("X-Requested-With") == null) {
                ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"livernode\", Bearer");
            }
            problem(ctx, 401, "urn:livernode:problem:unauthenticated", "Authentication required",
                    f instanceof AuthenticationFailedException ? "wrong user name or password, or a token that is not valid"
                            : "sign in (HTTP Basic, a bearer token, or the login form at " + LOGIN_PAGE + ") to see or change patient data");
        } else if (f instanceof ForbiddenException) {
            problem(ctx, 403, "urn:livernode:problem:forbidden", "Forbidden",
                    "user " + ((QuarkusHttpUser) ctx.user()).getSecurityIdentity().getPrincipal().getName()
                            + " lacks the role for " + ctx.request().method() + " " + ctx.normalizedPath());
        } else {
            return false;
        }
        return true;
    }

    private static boolean browserNavigation(RoutingContext ctx) {
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        return ctx.request().method() == HttpMethod.GET && accept != null && accept.contains("text/html")
                && ctx.request().getHeader(HttpHeaders.AUTHORIZATION) == null;
    }

    private void problem(RoutingContext ctx, int status, String type, String title, String detail) {
        try {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", type);
            problem.put("title", title);
            problem.put("status", status);
            problem.put("detail", detail);
            problem.put("instance", ctx.request().path());
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON).end(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            ctx.response().setStatusCode(status).end();
        }
    }
}
