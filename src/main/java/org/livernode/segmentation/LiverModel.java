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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/** The active liver model of this process, loaded on first use (offline commands that never segment never pay for it). */
@ApplicationScoped
public class LiverModel {

    private static final Logger LOG = Logger.getLogger(LiverModel.class);

    @Inject
    LivernodeConfig config;

    private volatile LiverPredictor predictor;
    private final ReentrantLock turns = new ReentrantLock(true);

    /** The loaded network for callers that may run at once (a job and the segmentation on arrival): they take turns. */
    public SliceModel sharedNetwork() {
        LiverPredictor loaded = predictor();
        return new SharedSliceModel(loaded, turns, () -> predictor != loaded);
    }

    public Path modelDir() {
        return config.inference().modelDir().toAbsolutePath().normalize();
    }

    /** The loaded model; callers must not close it. Not thread-safe: callers that may run at once use {@link #sharedNetwork()}. */
    public synchronized LiverPredictor predictor() {
        if (predictor == null) {
            Path dir = modelDir();
            if (!Files.isRegularFile(dir.resolve("model-card.json"))) {
                throw new IllegalStateException("no model at " + dir + " (model-card.json missing); "
                        + "set livernode.inference.model-dir to a model directory");
            }
            try {
                long t0 = System.nanoTime();
                predictor = LiverPredictor.load(dir, config.inference().batchSize(),
                        config.inference().testTimeAugmentation(), config.inference().engine());
                LOG.infof("model %s %s loaded from %s in %d ms, running on %s%s", predictor.card().name(),
                        predictor.card().version(), dir, (System.nanoTime() - t0) / 1_000_000,
                        ComputeDevice.describe(predictor.device()),
                        predictor.batchNormFolded() ? ", batch norms folded into the convolutions, engine "
                                + predictor.engine().settingName() : "");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the model from " + dir + ": " + e.getMessage(), e);
            }
        }
        return predictor;
    }

    /**
     * Loads the model and runs one batch of air through it, so the first series does not pay for loading and for
     * libtorch's one-time kernel setup (bench/inference.sh prints both). A missing model is only logged: the node
     * still receives, and each job then fails with the reason.
     */
    public void warmUp() {
        try {
            SliceModel network = sharedNetwork(); // in turn with whatever else already runs the network
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
        turns.lock();
        try {
            if (predictor != null) {
                predictor.close();
                predictor = null;
            }
        } finally {
            turns.unlock();
        }
    }
}
