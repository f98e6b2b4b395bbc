package org.livernode.segmentation;

import org.livernode.config.LivernodeConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.livernode.model.ComputeDevice;
import org.livernode.model.LiverPredictor;
import org.livernode.model.SliceModel;
import org.livernode.registry.ModelRegistry;
import org.livernode.registry.RegistryWatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The active liver model of this process: the registry's active version ({@code DATA/models/registry.json}, else
 * {@code livernode.inference.model-dir}), looked up at each {@link #acquire} (one stat of the registry file) and
 * loaded on first use, so a promotion on any replica is picked up by the next job without a restart. A caller keeps
 * the model it acquired until it closes its {@link ModelLease}: the model a promotion replaced is freed when its
 * last user is done. All loaded models take turns on one fair lock: each forward pass already uses every core.
 */
@ApplicationScoped
public class LiverModel {

    private static final Logger LOG = Logger.getLogger(LiverModel.class);

    @Inject
    LivernodeConfig config;

    private final ReentrantLock turns = new ReentrantLock(true);
    private RegistryWatch watch;
    private LoadedModel current;
    /** The registry state whose active model failed to load: not tried again until the registry changes. */
    private RegistryWatch.Seen refused;

    /** The active model for one job or batch; close the lease when done with it. */
    public synchronized ModelLease acquire() {
        LoadedModel model = active();
        model.users++;
        return new ModelLease(model, new SharedSliceModel(model.predictor, turns, () -> model.closed), this::release);
    }

    /**
     * The active model's predictor, not counted as a use: for callers that run it alone and before any promotion
     * (tests, offline commands). Not thread-safe.
     */
    public synchronized LiverPredictor predictor() {
        return active().predictor;
    }

    /** The folder of the active model (not loaded). */
    public Path modelDir() {
        try {
            return watch().active().active().dir();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model registry: " + e.getMessage(), e);
        }
    }

    private synchronized RegistryWatch watch() {
        if (watch == null) {
            watch = new RegistryWatch(new ModelRegistry(config.dataDir(), config.inference().modelDir()));
        }
        return watch;
    }

    /** The registry's active model, loaded when it changed; a model that cannot be loaded leaves the one running. */
    private LoadedModel active() {
        RegistryWatch.Seen seen;
        try {
            seen = watch().active();
        } catch (IOException e) {
            if (current != null) {
                LOG.errorf("model registry %s cannot be read (%s): %s %s keeps running", watch().registry().file(),
                        e.getMessage(), current.version, current.dir);
                return current;
            }
            throw new UncheckedIOException("cannot read the model registry: " + e.getMessage(), e);
        }
        Path dir = seen.active().dir();
        if (current != null && (current.dir.equals(dir) || seen == refused)) {
            return current;
        }
        LoadedModel next;
        try {
            next = load(dir);
        } catch (RuntimeException e) {
            if (current == null) {
                throw e;
            }
            // once per registry change, not at every job: a load can take seconds and the error would flood the log
            refused = seen;
            LOG.errorf("model %s of the registry cannot be loaded (%s): %s keeps running until the registry changes",
                    dir, e.getMessage(), current.version);
            return current;
        }
        if (current != null) {
            RegistryWatch.Seen why = seen;
            LOG.infof("model registry %s: %s replaces %s from the next job on (%s)", watch().registry().file(),
                    next.version, current.version, why.why() == null ? "no log entry" : why.why().action() + " by "
                            + why.why().by() + " at " + why.why().at() + (why.why().reason() == null ? "" : ": " + why.why().reason()));
            current.retired = true;
            closeIfUnused(current);
        }
        current = next;
        return current;
    }

    private LoadedModel load(Path dir) {
        if (!Files.isRegularFile(dir.resolve("model-card.json"))) {
            throw new IllegalStateException("no model at " + dir + " (model-card.json missing); "
                    + "set livernode.inference.model-dir to a model directory");
        }
        try {
            long t0 = System.nanoTime();
            LiverPredictor predictor = LiverPredictor.load(dir, config.inference().batchSize(),
                    config.inference().testTimeAugmentation(), config.inference().engine());
            LOG.infof("model %s %s loaded from %s in %d ms, running on %s with %s%s", predictor.card().name(),
                    predictor.card().version(), dir, (System.nanoTime() - t0) / 1_000_000,
                    ComputeDevice.describe(predictor.device()), predictor.engine().settingName(),
                    predictor.batchNormFolded() ? ", batch norms folded into the convolutions" : "");
            return new LoadedModel(dir, predictor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the model from " + dir + ": " + e.getMessage(), e);
        }
    }

    private synchronized void release(LoadedModel model) {
        model.users--;
        closeIfUnused(model);
    }

    /** A replaced model is freed once no lease holds it, between forward passes (it takes the shared turn). */
    private void closeIfUnused(LoadedModel model) {
        if (model.retired && model.users == 0 && !model.closed) {
            turns.lock();
            try {
                model.closed = true;
                model.predictor.close();
                LOG.infof("model %s freed: its last job is done", model.version);
            } finally {
                turns.unlock();
            }
        }
    }

    /**
     * Loads the model and runs one batch of air through it, so the first series does not pay for loading and for
     * libtorch's one-time kernel setup (bench/inference.sh prints both). A missing model is only logged: the node
     * still receives, and each job then fails with the reason.
     */
    public void warmUp() {
        try (ModelLease lease = acquire()) {
            SliceModel network = lease.network(); // in turn with whatever else already runs the network
            long t0 = System.nanoTime();
            int size = network.inputSize();
            float[][] air = new float[Math.max(1, config.inference().batchSize())][size * size];
            for (float[] slice : air) {
                Arrays.fill(slice, -1024f);
            }
            network.liverProbability(air);
            LOG.infof("model warmed up with one batch of %d slices in %d ms", air.length,
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warnf("model not warmed up at start: %s", e.getMessage());
        }
    }

    /** Waits for the forward pass in progress (the arrival path's or a job's) before freeing the network under it. */
    synchronized void onShutdown(@Observes ShutdownEvent event) {
        if (current != null) {
            current.retired = true;
            current.users = 0; // the node is stopping: a lease still open fails its next pass instead of running freed memory
            closeIfUnused(current);
            current = null;
        }
    }
}
