package org.livernode.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the REST API is an RFC 7807 problem. */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @Context
    UriInfo uri;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.status(), e.type(), e.title(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return respond(status, "about:blank", title, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.errorf(e, "%s: request failed", uri.getPath());
        return respond(500, "urn:livernode:problem:internal", "Internal error", e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private Response respond(int status, String type, String title, String detail) {
        Problem p = new Problem(type, title, status, detail, uri.getRequestUri().getRawPath());
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(p).build();
    }
}
