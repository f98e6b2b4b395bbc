package org.livernode.pipeline;

import org.livernode.config.LivernodeConfig;
import org.livernode.config.LivernodeConfig.Output;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.livernode.dicom.InstanceReceiver;
import org.livernode.dicom.vocabulary.RemoteAe;
import org.livernode.dicom.SendResult;
import org.livernode.dicom.seg.SegmentationException;
import org.livernode.model.LiverPredictor;
import org.livernode.segmentation.LiverModel;
import org.livernode.store.Instance;
import org.livernode.store.InstanceStore;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.store.JobState;
import org.livernode.volume.CtSeries;
import org.livernode.volume.VolumeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Runs one claimed job: select, read the volume, segment, write and keep the SEG, deliver it. Every outcome
 * becomes a job state with a reason a user can act on; the SEG is stored and indexed before delivery, so a
 * destination that is down never loses it.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    @Inject
    LivernodeConfig config;
    @Inject
    JobQueue queue;
    @Inject
    InstanceStore store;
    @Inject
    InstanceReceiver receiver;
    @Inject
    LiverModel model;
    @Inject
    SegDelivery delivery;
    @Inject
    DestinationOutputs outputs;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    /** How a job ended: its final state, the reason in words (null when all went well) and the result JSON. */
    public record Outcome(JobState state, String reason, String resultJson) {
    }

    public Outcome run(Job job) {
        return run(job, () -> true);
    }

    /**
     * Runs {@code job}; {@code stillHeld} is asked before the SEG is stored and before it is delivered, and a
     * false answer (the lease was lost, another replica took the job over) ends the run without side effects.
     */
    public Outcome run(Job job, BooleanSupplier stillHeld) {
        String series = job.seriesUid;
        ObjectNode result = json.createObjectNode();
        ObjectNode timings = result.putObject("timings");
        timings.put("queueWaitMs", Duration.between(job.queuedAt, job.startedAt).toMillis());
        List<Instance> instances = queue.instancesOf(series);
        Path segTemp = null;
        try {
            long t0 = System.nanoTime();
            SeriesInput.Prepared input = SeriesInput.prepare(instances.stream().map(i -> store.resolve(i.path)).toList(),
                    SeriesSelection.from(config.selection()));
            if (input.refusal().isPresent()) {
                LOG.infof("%s: skipped: %s", series, input.refusal().get());
                return new Outcome(JobState.SKIPPED, input.refusal().get(), result.toString());
            }
            CtSeries ct = input.series();
            ct.notes().forEach(note -> LOG.infof("%s: %s", series, note));
            LiverPredictor predictor = model.predictor();
            timings.put("loadMs", (System.nanoTime() - t0) / 1_000_000);
            LOG.infof("%s: segmenting %d slices (%dx%d) with %s %s", series, ct.sliceCount(), ct.rows(), ct.columns(),
                    predictor.card().name(), predictor.card().version());
            Files.createDirectories(store.incomingDir());
            segTemp = Files.createTempFile(store.incomingDir(), "seg-job-" + job.id + "-", ".part");
            int total = ct.sliceCount();
            // UIDs derived from the job: run again after a crash, it writes the same SEG, and a resend replaces it.
            OutputUids uids = OutputUids.of(OutputUids.Kind.SEG, series, job.id, job.queuedAt);
            SegmentationPipeline.Outcome outcome = new SegmentationPipeline(config, version).run(ct, predictor, segTemp,
                    uids, done -> LOG.infof("%s: %d/%d slices segmented", series, done, total));
            if (!stillHeld.getAsBoolean()) {
                return abandoned(series, job);
            }
            Path stored = receiver.storeProduced(segTemp);
            timings.put("inferenceMs", outcome.inferenceMs());
            timings.put("segMs", outcome.segMs());
            result.put("slices", outcome.slices());
            ct.notes().forEach(result.putArray("notes")::add);
            result.put("slicesWithLiver", outcome.slicesWithLiver());
            result.put("framesWritten", outcome.framesWritten());
            result.put("liverMl", Math.round(outcome.liverMl() * 10) / 10.0);
            result.put("model", outcome.model());
            result.put("segSeriesInstanceUid", outcome.segSeriesInstanceUid());
            result.put("segSopInstanceUid", outcome.segSopInstanceUid());
            result.put("segPath", store.relative(stored));
            LOG.infof("%s: liver %.1f mL on %d of %d slices; SEG %s", series, outcome.liverMl(),
                    outcome.slicesWithLiver(), outcome.slices(), store.relative(stored));
            Map<Output, List<Path>> written = new EnumMap<>(Output.class);
            written.put(Output.SEG, List.of(stored));
            written.putAll(storeDerived(ct, outcome, predictor, job, result));
            if (!stillHeld.getAsBoolean()) {
                return abandoned(series, job);
            }
            return deliver(series, callingAeOf(instances), stored, written, result);
        } catch (VolumeException e) {
            LOG.warnf("%s: failed: %s", series, e.getMessage());
            return new Outcome(JobState.FAILED, "the series cannot be read as one CT volume: " + e.getMessage(),
                    result.toString());
        } catch (SegmentationException e) {
            LOG.warnf("%s: failed: cannot write the SEG: %s", series, e.getMessage());
            return new Outcome(JobState.FAILED, "cannot write the SEG: " + e.getMessage(), result.toString());
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "%s: failed", series);
            return new Outcome(JobState.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), result.toString());
        } finally {
            deleteQuietly(segTemp);
        }
    }

    /** Writes and stores the SR and the overlay series if some destination gets them; records them in the result. */
    private Map<Output, List<Path>> storeDerived(CtSeries ct, SegmentationPipeline.Outcome seg, LiverPredictor predictor,
                                                 Job job, ObjectNode result) throws IOException {
        Set<OutputUids.Kind> kinds = EnumSet.noneOf(OutputUids.Kind.class);
        for (Output o : outputs.written()) {
            if (o != Output.SEG) {
                kinds.add(OutputUids.Kind.valueOf(o.name()));
            }
        }
        if (kinds.isEmpty()) {
            return Map.of();
        }
        DerivedObjects.Result derived = new DerivedObjects(config, version).write(ct, seg, predictor.card(), kinds,
                new DerivedObjects.JobKey(job.seriesUid, job.id, job.queuedAt), store.incomingDir());
        if (derived.hu().voxels() > 0) {
            result.put("liverMeanHu", DerivedObjects.rounded(derived.hu().mean()));
            result.put("liverSdHu", DerivedObjects.rounded(derived.hu().standardDeviation()));
        }
        Map<Output, List<Path>> stored = new EnumMap<>(Output.class);
        ArrayNode recorded = result.putArray("outputs");
        try {
            for (DerivedObjects.Written w : derived.written()) {
                List<Path> files = new ArrayList<>();
                for (Path file : w.files()) {
                    files.add(receiver.storeProduced(file)); // a copy: the written file is deleted below
                }
                stored.put(Output.valueOf(w.kind().name()), files);
                ObjectNode entry = recorded.addObject();
                entry.put("kind", w.kind().name());
                entry.put("seriesInstanceUid", w.seriesInstanceUid());
                entry.put("instances", w.files().size());
                if (w.sopInstanceUids().size() == 1) {
                    entry.put("sopInstanceUid", w.sopInstanceUids().get(0));
                }
            }
        } finally {
            derived.written().forEach(w -> w.files().forEach(JobRunner::deleteQuietly));
        }
        return stored;
    }

    private static Outcome abandoned(String series, Job job) {
        String reason = "lease lost: job " + job.id + " was taken over by another node";
        LOG.warnf("%s: %s; this run stops before storing or sending", series, reason);
        return new Outcome(JobState.FAILED, reason, null);
    }

    /**
     * Sends a job's stored objects (SEG, SR, overlay images, by output) that its destination gets to it, and records
     * how it went in {@code result}.
     */
    public Outcome deliver(String series, String callingAe, Path seg, Map<Output, List<Path>> stored, ObjectNode result) {
        ObjectNode delivered = result.putObject("delivery");
        Optional<RemoteAe> destination = delivery.destinationFor(callingAe);
        if (destination.isEmpty()) {
            String reason = delivery.noDestinationReason(callingAe) + "; the SEG is kept at " + store.relative(seg);
            delivered.put("status", "NO_DESTINATION");
            LOG.warnf("%s: %s", series, reason);
            return new Outcome(JobState.DONE, reason, result.toString());
        }
        List<Path> files = outputs.filesFor(destination.get(), stored);
        ArrayNode sentOutputs = delivered.putArray("outputs");
        outputs.sentTo(destination.get()).forEach(o -> sentOutputs.add(o.name()));
        long t0 = System.nanoTime();
        SendResult sent = delivery.send(destination.get(), files);
        result.withObject("/timings").put("deliveryMs", (System.nanoTime() - t0) / 1_000_000);
        delivered.put("destination", destination.get().toString());
        delivered.put("attempts", sent.attempts());
        if (sent.allDelivered()) {
            delivered.put("status", "DELIVERED");
            LOG.infof("%s: %d objects delivered to %s", series, files.size(), destination.get());
            return new Outcome(JobState.DONE, null, result.toString());
        }
        String error = sent.failed().get(0).lastError();
        delivered.put("status", "FAILED");
        delivered.put("error", error);
        String reason = "delivery to " + destination.get() + " failed after " + sent.attempts() + " attempts: " + error
                + "; the SEG is kept at " + store.relative(seg) + " (POST /api/jobs/{id}/resend)";
        LOG.warnf("%s: %s", series, reason);
        return new Outcome(JobState.FAILED, reason, result.toString());
    }

    /** The AE title most of the series came from. */
    public static String callingAeOf(List<Instance> instances) {
        Map<String, Long> counts = instances.stream().filter(i -> i.callingAeTitle != null)
                .collect(Collectors.groupingBy(i -> i.callingAeTitle.trim(), Collectors.counting()));
        return counts.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).map(Map.Entry::getKey).orElse(null);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debugf("cannot delete %s: %s", file, e.getMessage());
            }
        }
    }

}
