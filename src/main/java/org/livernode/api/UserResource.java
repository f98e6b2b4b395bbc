package org.livernode.api;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.livernode.security.AuditTrail;
import org.livernode.security.NodeUser;
import org.livernode.security.UserStore;

import java.time.Instant;
import java.util.List;

/**
 * User management (role {@code admin}, see application.properties): {@code GET /api/users},
 * {@code PUT /api/users/{name}} with {@code {"password": ..., "roles": [...]}}, {@code DELETE /api/users/{name}}.
 * Every change is audited.
 */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {
    public record UserView(String name, List<String> roles, Instant created) {
        static UserView of(NodeUser u) {
            return new UserView(u.name, u.roleSet().stream().sorted().toList(), u.created);
        }
    }

    public record UserChange(String password, List<String> roles) {
    }

    @Inject
    UserStore users;
    @Inject
    AuditTrail audit;
    @Inject
    SecurityIdentity identity;

    @GET
    public List<UserView> list() {
        return users.all().stream().map(UserView::of).toList();
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public UserView put(@PathParam("name") String name, UserChange change) {
        if (change == null) {
            throw ProblemException.badRequest("the body must be {\"password\": ..., \"roles\": [...]}");
        }
        try {
            UserView view = UserView.of(users.put(name, change.password(), change.roles() == null ? List.of() : change.roles()));
            audit.userChanged(identity.getPrincipal().getName(), name, view.roles());
            return view;
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    @DELETE
    @Path("/{name}")
    public void delete(@PathParam("name") String name) {
        if (!users.delete(name)) {
            throw new ProblemException(404, "urn:livernode:problem:not-found", "User not found", "no user " + name);
        }
        audit.userChanged(identity.getPrincipal().getName(), name, null);
    }
}
