package org.livernode.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;

/**
 * Authenticates nobody; it is there so that the challenge to a caller without credentials (Quarkus asks the
 * mechanism of highest priority first) is the node's own: an RFC 7807 problem with {@code WWW-Authenticate}, or for
 * a browser opening a page, a redirect to the login form.
 */
@ApplicationScoped
public class ProblemChallenge implements HttpAuthenticationMechanism {
    @Inject
    HttpGuard guard;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Basic realm=\"livernode\", Bearer"));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        guard.challenge(context);
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }

    @Override
    public int getPriority() {
        return Integer.MAX_VALUE;
    }
}
