package org.livernode.api;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/** {@code POST /logout}: ends the login form's session (its cookie expires) and shows the login page again. */
@Path("/logout")
public class LogoutResource {
    static final String SESSION_COOKIE = "quarkus-credential";

    @POST
    public Response logout() {
        NewCookie expired = new NewCookie.Builder(SESSION_COOKIE).path("/").maxAge(0).httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).value("").build();
        return Response.seeOther(URI.create("/login.html")).cookie(expired).build();
    }
}
