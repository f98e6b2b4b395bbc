package org.livernode.pipeline;

import org.livernode.config.LivernodeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.livernode.dicom.seg.SegmentationException;
import org.livernode.model.LiverPredictor;
import org.livernode.segmentation.LiverModel;
import org.livernode.segmentation.ModelLease;
import org.livernode.store.Archive;
import org.livernode.store.Instance;
import org.livernode.store.InstanceStore;
import org.livernode.store.Job;
import org.livernode.store.InstanceIndex;
import org.livernode.store.JobState;
import org.livernode.volume.CtSeries;
import org.livernode.volume.VolumeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs one claimed job: select, read the volume, segment, write and store the SEG (and the SR and overlay), then
 * hand the job to delivery. Every outcome becomes a job state with a reason a user can act on; the outputs are
 * stored and indexed before delivery, so a destination that is down never loses them.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    @Inject
    LivernodeConfig config;
    @Inject
    InstanceIndex index;
    @Inject
    InstanceStore store;
    @Inject
    Archive archive;
    @Inject
    LiverModel model;
    @Inject
    JobDelivery delivery;
    @Inject
    DestinationOutputs outputs;
    @Inject
    ArrivalSegmentation onArrival;
    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    /**
     * How a run ended: its state (DELIVERING when the outputs are stored and due to be sent, else final), the reason
     * in words (null when all went well) and the result.
     */
    public record Outcome(JobState state, String reason, JobResult result) {
    }

    /** What {@link #storeDerived} stored besides the SEG. */
    private record Derived(Double liverMeanHu, Double liverSdHu, List<JobResult.Output> outputs) {
        static final Derived NONE = new Derived(null, null, null);
    }

    public Outcome run(Job job) {
        return run(job, () -> true);
    }

    /**
     * Runs {@code job} up to its stored outputs; {@code stillHeld} is asked before the SEG is stored and before the
     * job is handed to delivery, and a false answer (the lease was lost, another replica took the job over) ends the
     * run without side effects. Delivery is the queue's next step ({@link DeliveryStep}), not this run's.
     */
    public Outcome run(Job job, BooleanSupplier stillHeld) {
        String series = job.seriesUid;
        long queueWaitMs = Duration.between(job.queuedAt, job.startedAt).toMillis();
        JobResult result = JobResult.waited(queueWaitMs);
        List<Instance> instances = index.instancesOf(series);
        Path segTemp = null;
        ModelLease lease = null;
        try {
            long t0 = System.nanoTime();
            SeriesInput.Prepared input = SeriesInput.prepare(instances.stream().map(i -> store.resolve(i.path)).toList(),
                    SeriesSelection.from(config.selection()));
            if (input.refusal().isPresent()) {
                LOG.infof("%s: skipped: %s", series, input.refusal().get());
                return new Outcome(JobState.SKIPPED, input.refusal().get(), result);
            }
            CtSeries ct = input.series();
            ct.notes().forEach(note -> LOG.infof("%s: %s", series, note));
            // the model active now: this job ends on it, whatever is promoted meanwhile
            lease = model.acquire();
            LiverPredictor predictor = lease.predictor();
            long loadMs = (System.nanoTime() - t0) / 1_000_000;
            result = result.withTimings(new JobResult.Timings(queueWaitMs, loadMs, null, null, null));
            LOG.infof("%s: segmenting %d slices (%dx%d) with %s %s", series, ct.sliceCount(), ct.rows(), ct.columns(),
                    predictor.card().name(), predictor.card().version());
            Files.createDirectories(store.incomingDir());
            segTemp = Files.createTempFile(store.incomingDir(), "seg-job-" + job.id + "-", ".part");
            int total = ct.sliceCount();
            // UIDs derived from the job: run again after a crash, it writes the same SEG, and a resend replaces it.
            OutputUids uids = OutputUids.of(OutputUids.Kind.SEG, series, job.id, job.queuedAt);
            java.util.function.IntFunction<byte[]> arrived = onArrival.knownMasks(series, ct, lease.modelIdentity());
            java.util.concurrent.atomic.AtomicInteger onArrivalCount = new java.util.concurrent.atomic.AtomicInteger();
            SegmentationPipeline.Outcome outcome = new SegmentationPipeline(config, version).run(ct, predictor,
                    lease.network(), k -> {
                        byte[] mask = arrived.apply(k);
                        if (mask != null) {
                            onArrivalCount.incrementAndGet();
                        }
                        return mask;
                    }, segTemp, uids, done -> LOG.infof("%s: %d/%d slices segmented", series, done, total));
            LOG.infof("%s: %d of %d slices had been segmented on arrival; inference here %d ms, SEG %d ms", series,
                    onArrivalCount.get(), total, outcome.inferenceMs(), outcome.segMs());
            if (!stillHeld.getAsBoolean()) {
                return abandoned(series, job);
            }
            Path stored = archive.storeProduced(segTemp, config.dicom().aeTitle());
            LOG.infof("%s: liver %.1f mL on %d of %d slices; SEG %s", series, outcome.liverMl(),
                    outcome.slicesWithLiver(), outcome.slices(), store.relative(stored));
            Derived derived = storeDerived(ct, outcome, predictor, job);
            result = new JobResult(outcome.slices(), List.copyOf(ct.notes()),
                    outcome.slicesWithLiver(), outcome.framesWritten(), Math.round(outcome.liverMl() * 10) / 10.0,
                    derived.liverMeanHu(), derived.liverSdHu(), outcome.model(), outcome.segSeriesInstanceUid(),
                    outcome.segSopInstanceUid(), store.relative(stored), derived.outputs(), null,
                    new JobResult.Timings(queueWaitMs, loadMs, outcome.inferenceMs(), outcome.segMs(), null));
            if (!stillHeld.getAsBoolean()) {
                return abandoned(series, job);
            }
            return delivery.firstStep(job, result);
        } catch (VolumeException e) {
            LOG.warnf("%s: failed: %s", series, e.getMessage());
            return new Outcome(JobState.FAILED, "the series cannot be read as one CT volume: " + e.getMessage(), result);
        } catch (SegmentationException e) {
            LOG.warnf("%s: failed: cannot write the SEG: %s", series, e.getMessage());
            return new Outcome(JobState.FAILED, "cannot write the SEG: " + e.getMessage(), result);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "%s: failed", series);
            return new Outcome(JobState.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), result);
        } finally {
            if (lease != null) {
                lease.close();
            }
            onArrival.jobDone(series);
            deleteQuietly(segTemp);
        }
    }

    /** Writes and stores the SR and the overlay series if some destination gets them ({@link DestinationOutputs}). */
    private Derived storeDerived(CtSeries ct, SegmentationPipeline.Outcome seg, LiverPredictor predictor, Job job)
            throws IOException {
        Set<OutputUids.Kind> kinds = EnumSet.noneOf(OutputUids.Kind.class);
        for (LivernodeConfig.Output o : outputs.written()) {
            if (o != LivernodeConfig.Output.SEG) {
                kinds.add(OutputUids.Kind.valueOf(o.name()));
            }
        }
        if (kinds.isEmpty()) {
            return Derived.NONE;
        }
        DerivedObjects.Result derived = new DerivedObjects(config, version).write(ct, seg, predictor.card(), kinds,
                new DerivedObjects.JobKey(job.seriesUid, job.id, job.queuedAt), store.incomingDir());
        List<JobResult.Output> outputs = new ArrayList<>();
        try {
            for (DerivedObjects.Written w : derived.written()) {
                for (Path file : w.files()) {
                    archive.storeProduced(file, config.dicom().aeTitle()); // a copy: the written file is deleted below
                }
                outputs.add(new JobResult.Output(w.kind().name(), w.seriesInstanceUid(), w.files().size(),
                        w.sopInstanceUids().size() == 1 ? w.sopInstanceUids().get(0) : null));
            }
        } finally {
            derived.written().forEach(w -> w.files().forEach(JobRunner::deleteQuietly));
        }
        boolean measured = derived.hu().voxels() > 0;
        return new Derived(measured ? DerivedObjects.rounded(derived.hu().mean()) : null,
                measured ? DerivedObjects.rounded(derived.hu().standardDeviation()) : null, outputs);
    }

    private static Outcome abandoned(String series, Job job) {
        String reason = "lease lost: job " + job.id + " was taken over by another node";
        LOG.warnf("%s: %s; this run stops before storing or sending", series, reason);
        return new Outcome(JobState.FAILED, reason, null);
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
