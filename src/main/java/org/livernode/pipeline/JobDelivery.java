package org.livernode.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.livernode.config.LivernodeConfig.Output;
import org.livernode.dicom.SendResult;
import org.livernode.dicom.vocabulary.RemoteAe;
import org.livernode.store.Instance;
import org.livernode.store.InstanceStore;
import org.livernode.store.Job;
import org.livernode.store.InstanceIndex;
import org.livernode.store.JobState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One delivery attempt of a job's stored outputs (of the SEG, SR and overlay images, those its destination gets:
 * {@link DestinationOutputs}), found again from the job alone, so any replica can make it: one Association to the destination that
 * applies now, bounded by the sender's timeouts. Used by the queue's {@link DeliveryStep} and by {@link SegResend}.
 */
@ApplicationScoped
public class JobDelivery {

    private static final Logger LOG = Logger.getLogger(JobDelivery.class);

    /** How an attempt went. */
    public enum Status { DELIVERED, FAILED, NO_DESTINATION, NO_SEG }

    /** An attempt's status, the reason in words (null when delivered) and the job's result updated with it. */
    public record Attempt(Status status, String reason, JobResult result) {
    }

    @Inject
    InstanceIndex index;
    @Inject
    InstanceStore store;
    @Inject
    SegDelivery delivery;
    @Inject
    StoredOutputs outputs;
    @Inject
    DestinationOutputs destinationOutputs;

    /**
     * What follows a run whose outputs are stored: DELIVERING (first attempt due now) when there is a destination,
     * else DONE, saying where the SEG is kept.
     */
    JobRunner.Outcome firstStep(Job job, JobResult result) {
        String callingAe = callingAeOf(index.instancesOf(job.seriesUid));
        Optional<RemoteAe> destination = delivery.destinationFor(callingAe);
        if (destination.isEmpty()) {
            String reason = delivery.noDestinationReason(callingAe) + "; the SEG is kept at " + result.segPath();
            LOG.warnf("%s: %s", job.seriesUid, reason);
            return new JobRunner.Outcome(JobState.DONE, reason, result.withDelivery(
                    new JobResult.Delivery(JobResult.DeliveryStatus.NO_DESTINATION, null, null, null, null, null)));
        }
        return new JobRunner.Outcome(JobState.DELIVERING, null, result.withDelivery(new JobResult.Delivery(
                JobResult.DeliveryStatus.PENDING, destination.get().toString(),
                destinationOutputs.sentTo(destination.get()).stream().map(Enum::name).toList(), 0, null, null)));
    }

    /** Sends the job's stored outputs once; {@code attempt} is the number this attempt gets in the result. */
    public Attempt attempt(Job job, JobResult result, int attempt) {
        Optional<Path> seg = storedSeg(result);
        if (seg.isEmpty()) {
            return new Attempt(Status.NO_SEG, "job " + job.id + " (" + job.getState()
                    + (job.reason == null ? "" : ": " + job.reason) + ") has no stored SEG to send", result);
        }
        String callingAe = callingAeOf(index.instancesOf(job.seriesUid));
        Optional<RemoteAe> destination = delivery.destinationFor(callingAe);
        if (destination.isEmpty()) {
            String reason = delivery.noDestinationReason(callingAe) + "; the SEG is kept at " + store.relative(seg.get());
            return new Attempt(Status.NO_DESTINATION, reason, result.withDelivery(
                    new JobResult.Delivery(JobResult.DeliveryStatus.NO_DESTINATION, null, null, attempt, null, null)));
        }
        Map<Output, List<Path>> stored = new EnumMap<>(Output.class);
        stored.put(Output.SEG, List.of(seg.get()));
        stored.putAll(outputs.derivedFiles(job));
        List<Path> files = destinationOutputs.filesFor(destination.get(), stored);
        List<String> sentOutputs = destinationOutputs.sentTo(destination.get()).stream().map(Enum::name).toList();
        long t0 = System.nanoTime();
        SendResult sent = delivery.send(destination.get(), files);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        JobResult timed = result.timings() == null ? result : result.withTimings(result.timings().withDeliveryMs(ms));
        String to = destination.get().toString();
        if (sent.allDelivered()) {
            LOG.infof("%s: job %d: %d objects delivered to %s (attempt %d)", job.seriesUid, job.id, files.size(), to, attempt);
            return new Attempt(Status.DELIVERED, null, timed.withDelivery(
                    new JobResult.Delivery(JobResult.DeliveryStatus.DELIVERED, to, sentOutputs, attempt, null, null)));
        }
        String error = sent.failed().get(0).lastError();
        String reason = "delivery to " + to + " failed: " + error + "; the SEG is kept at " + store.relative(seg.get());
        return new Attempt(Status.FAILED, reason, timed.withDelivery(
                new JobResult.Delivery(JobResult.DeliveryStatus.FAILED, to, sentOutputs, attempt, error, null)));
    }

    /** The SEG file of a job's result: the indexed instance of its SOP Instance UID, else its recorded path. */
    Optional<Path> storedSeg(JobResult result) {
        if (result.segSopInstanceUid() != null) {
            Optional<Instance> indexed = index.instance(result.segSopInstanceUid());
            if (indexed.isPresent() && indexed.get().path != null) {
                Path file = store.resolve(indexed.get().path);
                if (Files.isRegularFile(file)) {
                    return Optional.of(file);
                }
            }
        }
        if (result.segPath() != null) {
            Path file = store.resolve(result.segPath());
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** The AE title most of the series came from. */
    static String callingAeOf(List<Instance> instances) {
        Map<String, Long> counts = instances.stream().filter(i -> i.callingAeTitle != null)
                .collect(Collectors.groupingBy(i -> i.callingAeTitle.trim(), Collectors.counting()));
        return counts.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).map(Map.Entry::getKey).orElse(null);
    }
}
