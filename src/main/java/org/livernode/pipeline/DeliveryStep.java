package org.livernode.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.livernode.config.LivernodeConfig;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.store.JobState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The queue's delivery step: one claimed attempt of a DELIVERING job. Delivered: DONE. Failed: the job stays
 * DELIVERING with its next attempt due after an exponential backoff ({@code livernode.delivery.initial-backoff},
 * doubling up to {@code max-backoff}), and gives up its lease, so the worker goes on with other series meanwhile;
 * after {@code livernode.delivery.attempts} attempts it is FAILED, the outputs kept for a resend.
 */
@ApplicationScoped
public class DeliveryStep {

    private static final Logger LOG = Logger.getLogger(DeliveryStep.class);

    @Inject
    LivernodeConfig config;
    @Inject
    JobQueue queue;
    @Inject
    JobDelivery delivery;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;

    /** Makes the attempt {@code nodeId} claimed for {@code job} and records how it went. */
    public void attempt(Job job, String nodeId) {
        int maxAttempts = config.delivery().attempts();
        int attempt = job.deliveryAttempts;
        JobResult result = JobResult.read(json, job.resultJson);
        if (attempt > maxAttempts) {
            // Claimed more often than attempts were recorded: every earlier claimer died mid-attempt.
            end(job, nodeId, JobState.FAILED, "delivery given up after " + maxAttempts + " attempts (the last ones' node "
                    + "stopped before finishing); POST /api/jobs/" + job.id + "/resend sends the outputs again", result);
            return;
        }
        JobDelivery.Attempt a = delivery.attempt(job, result, attempt);
        switch (a.status()) {
            case DELIVERED -> end(job, nodeId, JobState.DONE, null, a.result());
            case NO_DESTINATION -> end(job, nodeId, JobState.DONE, a.reason(), a.result());
            case NO_SEG -> end(job, nodeId, JobState.FAILED, a.reason(), a.result());
            case FAILED -> {
                if (attempt >= maxAttempts) {
                    end(job, nodeId, JobState.FAILED, a.reason() + "; given up after " + attempt + " attempts"
                            + " (livernode.delivery.attempts); POST /api/jobs/" + job.id + "/resend sends it again", a.result());
                    return;
                }
                Instant next = clock.instant().plus(backoffAfter(attempt, config.delivery().initialBackoff(),
                        config.delivery().maxBackoff()));
                JobResult.Delivery d = a.result().delivery();
                JobResult pending = a.result().withDelivery(new JobResult.Delivery(JobResult.DeliveryStatus.PENDING,
                        d.destination(), d.outputs(), d.attempts(), d.error(), next));
                String reason = "attempt " + attempt + " of " + maxAttempts + ": " + a.reason() + "; next attempt at " + next;
                if (queue.retryDelivery(job.id, nodeId, next, reason, pending.toJson(json))) {
                    LOG.warnf("%s: job %d DELIVERING: %s", job.seriesUid, job.id, reason);
                } else {
                    LOG.warnf("%s: job %d: attempt %d failed, and the job had been taken over meanwhile", job.seriesUid,
                            job.id, attempt);
                }
            }
        }
    }

    private void end(Job job, String nodeId, JobState state, String reason, JobResult result) {
        if (queue.finish(job.id, nodeId, state, reason, result.toJson(json))) {
            LOG.infof("%s: job %d %s%s", job.seriesUid, job.id, state, reason == null ? "" : ": " + reason);
        } else {
            LOG.warnf("%s: job %d: delivery attempt done here but another node had taken the job over", job.seriesUid, job.id);
        }
    }

    /** The wait after failed attempt n (n from 1): initial x 2^(n-1), at most {@code max}. */
    public static Duration backoffAfter(int attempt, Duration initial, Duration max) {
        double millis = initial.toMillis() * Math.pow(2, Math.max(0, attempt - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }
}
