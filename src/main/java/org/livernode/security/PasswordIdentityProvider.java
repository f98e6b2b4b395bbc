package org.livernode.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Checks a user name and password (HTTP Basic, or the login form's {@code j_security_check}) against the node's
 * users. A form login and every failed attempt go into the audit trail; a Basic request that succeeds is not a
 * login (it comes with every request of a script) and is audited by what it reads or writes.
 */
@ApplicationScoped
public class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
    @Inject
    UserStore users;
    @Inject
    AuditTrail audit;

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        String from = http == null ? null : http.request().remoteAddress().hostAddress();
        boolean formLogin = http != null && http.normalizedPath().endsWith("/j_security_check");
        String name = request.getUsername();
        return context.runBlocking(() -> {
            Optional<NodeUser> user = users.verify(name, request.getPassword().getPassword());
            if (user.isEmpty()) {
                audit.login(name, from, formLogin ? "form" : "basic", false);
                throw new AuthenticationFailedException("wrong user name or password");
            }
            if (formLogin) {
                audit.login(name, from, "form", true);
            }
            return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name))
                    .addRoles(user.get().roleSet()).build();
        });
    }
}
