package org.livernode.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.livernode.config.LivernodeConfig.Output;
import org.jboss.logging.Logger;
import org.livernode.store.Instance;
import org.livernode.store.InstanceStore;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.store.JobState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends the SEG a finished job kept to the destination that applies now (a PACS that was down, or a
 * destination set after the fact), and records the new delivery in the job. The SEG is found through the
 * index (its SOP Instance UID), else through the path the job recorded.
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
    InstanceStore store;
    @Inject
    JobRunner runner;
    @Inject
    ObjectMapper json;
    @Inject
    StoredOutputs outputs;

    public Result resend(long jobId) {
        Optional<Job> found = queue.find(jobId);
        if (found.isEmpty()) {
            return new Result(Status.UNKNOWN_JOB, null, "no job with id " + jobId);
        }
        Job job = found.get();
        if (job.getState().isOpen()) {
            return new Result(Status.JOB_OPEN, job, "job " + jobId + " is " + job.getState()
                    + "; its SEG can be resent once it has finished");
        }
        ObjectNode result = parse(job.resultJson);
        Optional<Path> seg = storedSeg(result);
        if (seg.isEmpty()) {
            return new Result(Status.NO_SEG, job, "job " + jobId + " (" + job.getState()
                    + (job.reason == null ? "" : ": " + job.reason) + ") has no stored SEG to resend");
        }
        LOG.infof("%s: resending the SEG of job %d (%s)", job.seriesUid, jobId, store.relative(seg.get()));
        Map<Output, List<Path>> stored = new EnumMap<>(Output.class);
        stored.put(Output.SEG, List.of(seg.get()));
        stored.putAll(outputs.derivedFiles(job));
        JobRunner.Outcome outcome = runner.deliver(job.seriesUid, JobRunner.callingAeOf(queue.instancesOf(job.seriesUid)),
                seg.get(), stored, result);
        String delivery = result.path("delivery").path("status").asText();
        if ("NO_DESTINATION".equals(delivery)) {
            return new Result(Status.NO_DESTINATION, job, outcome.reason());
        }
        queue.updateResult(jobId, outcome.state(), outcome.reason(), outcome.resultJson());
        Job updated = queue.find(jobId).orElse(job);
        if ("DELIVERED".equals(delivery)) {
            return new Result(Status.DELIVERED, updated, null);
        }
        return new Result(Status.DELIVERY_FAILED, updated, outcome.reason());
    }

    /** The SEG file of a job's result: the indexed instance of its SOP Instance UID, else its recorded path. */
    Optional<Path> storedSeg(ObjectNode result) {
        String sop = result.path("segSopInstanceUid").asText("");
        if (!sop.isEmpty()) {
            Optional<Instance> indexed = queue.instance(sop);
            if (indexed.isPresent() && indexed.get().path != null) {
                Path file = store.resolve(indexed.get().path);
                if (Files.isRegularFile(file)) {
                    return Optional.of(file);
                }
            }
        }
        String path = result.path("segPath").asText("");
        if (!path.isEmpty()) {
            Path file = store.resolve(path);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    private ObjectNode parse(String resultJson) {
        if (resultJson == null || resultJson.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(resultJson) instanceof ObjectNode o ? o : json.createObjectNode();
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }
}
