package org.livernode.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.livernode.api.Views.JobView;
import org.livernode.pipeline.SegResend;

/**
 * {@code POST /api/jobs/{id}/resend}: delivers a finished job's stored SEG again, to the destination that applies
 * now: one attempt, bounded by the sender's timeouts; each database change has its own transaction.
 */
@Path("/api/jobs/{id}/resend")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    @Inject
    SegResend resend;

    @POST
    public JobView resend(@PathParam("id") long id) {
        SegResend.Result r = resend.resend(id);
        return switch (r.status()) {
            case DELIVERED -> JobView.of(r.job());
            case UNKNOWN_JOB -> throw new ProblemException(404, "urn:livernode:problem:not-found", "Job not found", r.detail());
            case JOB_OPEN, NO_SEG -> throw new ProblemException(409, "urn:livernode:problem:no-seg-to-resend",
                    "Nothing to resend", r.detail());
            case NO_DESTINATION -> throw new ProblemException(409, "urn:livernode:problem:no-destination",
                    "No destination for the SEG", r.detail());
            case DELIVERY_FAILED -> throw new ProblemException(502, "urn:livernode:problem:delivery-failed",
                    "SEG delivery failed", r.detail());
        };
    }
}
