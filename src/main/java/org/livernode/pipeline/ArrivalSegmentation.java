package org.livernode.pipeline;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.segmentation.LiverModel;
import org.livernode.segmentation.ModelLease;
import org.livernode.segmentation.SliceMasks;
import org.livernode.segmentation.SliceSegmenter;
import org.livernode.store.InstanceArchived;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;
import org.livernode.volume.SeriesHeaders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Segmentation on arrival (issue 13): each single-frame CT slice is decoded and its mask predicted as soon as it is
 * stored, by the job's own rule ({@link SegmentationPipeline#sliceSegmenter}), in the order the slices of all
 * series arrived (so series received at once share the network fairly; it takes turns with a running job,
 * {@link LiverModel#sharedNetwork}); the slices that arrived during a forward pass make the next batch (up to
 * {@code livernode.inference.batch-size}). The job then predicts only what is not in {@link SliceMasks}, and cleans
 * up, writes and delivers. Bounded: at most {@link #QUEUED} slices wait (beyond, a slice is left to its job), at
 * most {@code livernode.inference.on-arrival-masks} masks are kept. Masks are in memory only: a restarted node's
 * job predicts them again, so a restart costs time, never a different SEG. A slice the selection will leave out
 * (localizer, not axial, the node's own output) is not predicted; a series it refuses as a whole wastes the work.
 */
@ApplicationScoped
public class ArrivalSegmentation {

    private static final Logger LOG = Logger.getLogger(ArrivalSegmentation.class);
    /** Slices waiting to be segmented on arrival: 1024 paths, a few hundred KiB. */
    static final int QUEUED = 1024;

    @Inject
    LivernodeConfig config;
    @Inject
    LiverModel model;
    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    private final BlockingQueue<InstanceArchived> queue = new ArrayBlockingQueue<>(QUEUED);
    /** Series whose job is predicting its remaining slices: their queued slices are the job's now. */
    private final Set<String> inJob = ConcurrentHashMap.newKeySet();
    private volatile SliceMasks masks;
    private volatile Thread thread;

    void onArchived(@Observes InstanceArchived instance) {
        // A process without a worker runs no job that could use the masks.
        if (!config.inference().onArrival() || !config.worker().enabled()
                || !SopClasses.CT_IMAGE_STORAGE.equals(instance.sopClassUid())) {
            return;
        }
        start();
        if (!queue.offer(instance)) {
            LOG.debugf("%s: arrival queue full; its job segments %s", instance.seriesUid(), instance.file().getFileName());
        }
    }

    private synchronized void start() {
        if (thread == null) {
            masks = new SliceMasks(config.inference().onArrivalMasks());
            thread = new Thread(this::loop, "segmentation-on-arrival");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            List<InstanceArchived> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            // What arrived meanwhile joins the batch: one forward pass of several slices costs less a slice.
            queue.drainTo(batch, config.inference().batchSize() - 1);
            segment(batch);
        }
    }

    /** One slice decoded and ready for the network. */
    private record Ready(InstanceArchived instance, String key, int rows, int columns, float[] hu) {
    }

    private void segment(List<InstanceArchived> arrived) {
        ModelLease lease;
        try {
            lease = model.acquire(); // the batch is predicted, and its masks keyed, by the model active now
        } catch (RuntimeException e) {
            LOG.warnf("segmentation on arrival failed (%s); their jobs segment these %d slices", e.getMessage(), arrived.size());
            return;
        }
        try (lease) {
            List<Ready> ready = new ArrayList<>();
            for (InstanceArchived instance : arrived) {
                try {
                    Ready r = decode(instance, lease.modelIdentity());
                    if (r != null) {
                        ready.add(r);
                    }
                } catch (RuntimeException e) {
                    // Its job reads the slice again and says what is wrong with it.
                    LOG.debugf("%s: %s not segmented on arrival: %s", instance.seriesUid(), instance.file().getFileName(),
                            e.getMessage());
                }
            }
            // Slices of one size go through the network together.
            Map<List<Integer>, List<Ready>> bySize = new LinkedHashMap<>();
            ready.forEach(r -> bySize.computeIfAbsent(List.of(r.rows, r.columns), size -> new ArrayList<>()).add(r));
            SliceSegmenter slices = new SegmentationPipeline(config, version)
                    .sliceSegmenter(lease.predictor().card(), lease.network());
            for (List<Ready> same : bySize.values()) {
                try {
                    byte[][] predicted = slices.masks(same.stream().map(Ready::hu).toArray(float[][]::new),
                            same.get(0).rows, same.get(0).columns);
                    for (int b = 0; b < same.size(); b++) {
                        masks.put(same.get(b).key, predicted[b]);
                    }
                    LOG.debugf("%s: %d slice(s) segmented on arrival", same.get(0).instance.seriesUid(), same.size());
                } catch (RuntimeException e) {
                    LOG.warnf("%s: segmentation on arrival failed (%s); its job segments these %d slices",
                            same.get(0).instance.seriesUid(), e.getMessage(), same.size());
                }
            }
        }
    }

    /**
     * The slice's HU under its key for {@code modelIdentity}'s masks, or null when it needs none: already known, its
     * series' job has it, left out by the selection.
     */
    private Ready decode(InstanceArchived instance, String modelIdentity) {
        String file = key(instance.file(), 0);
        String key = file == null ? null : SliceMasks.ofModel(modelIdentity, file);
        if (key == null || inJob.contains(instance.seriesUid()) || masks.contains(key)) {
            return null;
        }
        SeriesHeaders headers = CtSeriesReader.readHeaders(List.of(instance.file()));
        if (headers.size() != 1 || SeriesSelection.whyLeftOut(headers.facts().get(0)).isPresent()) {
            return null;
        }
        return new Ready(instance, key, headers.rows(0), headers.columns(0), headers.sliceHu(0));
    }

    /**
     * The masks known for {@code series}' slices made by the job's model ({@code modelIdentity}, {@link
     * org.livernode.segmentation.ModelLease#modelIdentity}: masks of a model since replaced are not the job's, it
     * predicts those slices again); the series' slices still queued are left to the job until {@link #jobDone}.
     */
    public IntFunction<byte[]> knownMasks(String seriesUid, CtSeries series, String modelIdentity) {
        inJob.add(seriesUid);
        SliceMasks known = masks;
        if (known == null) {
            return k -> null;
        }
        int pixels = series.rows() * series.columns();
        List<Path> files = series.files();
        return k -> {
            String key = key(files.get(k), series.frameNumber(k));
            return key == null ? null : known.get(SliceMasks.ofModel(modelIdentity, key), pixels);
        };
    }

    public void jobDone(String seriesUid) {
        inJob.remove(seriesUid);
    }

    /** Masks held now, of every series. */
    public int masksHeld() {
        SliceMasks known = masks;
        return known == null ? 0 : known.size();
    }

    /** Forgets every mask, as a restart does. */
    public void forget() {
        SliceMasks known = masks;
        if (known != null) {
            known.clear();
        }
    }

    private static String key(Path file, int frame) {
        try {
            return SliceMasks.key(file.toAbsolutePath().toString(), Files.size(file),
                    Files.getLastModifiedTime(file).toMillis(), frame);
        } catch (IOException e) {
            return null;
        }
    }

    synchronized void onShutdown(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.interrupt();
            thread = null;
        }
    }
}
