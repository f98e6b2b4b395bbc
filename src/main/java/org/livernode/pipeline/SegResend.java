package org.livernode.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.store.JobState;

import java.util.Optional;

/**
 * Sends the outputs a finished job kept to the destination that applies now (a PACS that was down longer than the
 * queue's attempts, or a destination set after the fact), and records the new delivery in the job.
 */
@ApplicationScoped
public class SegResend {

    private static final Logger LOG = Logger.getLogger(SegResend.class);

    /** Why a resend did or did not happen; {@code job} is the job as it stands afterwards (null when unknown). */
    public enum Status { DELIVERED, UNKNOWN_JOB, JOB_OPEN, NO_SEG, NO_DESTINATION, DELIVERY_FAILED }

    public record Result(Status status, Job job, String detail) {
    }

    @Inject
    JobQueue queue;
    @Inject
    JobDelivery delivery;
    @Inject
    ObjectMapper json;

    public Result resend(long jobId) {
        Optional<Job> found = queue.find(jobId);
        if (found.isEmpty()) {
            return new Result(Status.UNKNOWN_JOB, null, "no job with id " + jobId);
        }
        Job job = found.get();
        if (job.getState().isOpen()) {
            return new Result(Status.JOB_OPEN, job, "job " + jobId + " is " + job.getState()
                    + (job.getState() == JobState.DELIVERING ? " (the queue makes its next attempt at " + job.nextAttemptAt
                    + ")" : "; its SEG can be resent once it has finished"));
        }
        LOG.infof("%s: resending the outputs of job %d", job.seriesUid, jobId);
        JobDelivery.Attempt attempt = delivery.attempt(job, JobResult.read(json, job.resultJson), 1);
        switch (attempt.status()) {
            case NO_SEG:
                return new Result(Status.NO_SEG, job, attempt.reason());
            case NO_DESTINATION:
                return new Result(Status.NO_DESTINATION, job, attempt.reason());
            case DELIVERED:
                queue.updateResult(jobId, JobState.DONE, null, attempt.result().toJson(json));
                return new Result(Status.DELIVERED, queue.find(jobId).orElse(job), null);
            default:
                String reason = attempt.reason() + " (POST /api/jobs/" + jobId + "/resend)";
                LOG.warnf("%s: %s", job.seriesUid, reason);
                queue.updateResult(jobId, JobState.FAILED, reason, attempt.result().toJson(json));
                return new Result(Status.DELIVERY_FAILED, queue.find(jobId).orElse(job), reason);
        }
    }
}
