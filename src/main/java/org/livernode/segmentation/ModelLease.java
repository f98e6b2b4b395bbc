package org.livernode.segmentation;

import org.livernode.model.LiverPredictor;
import org.livernode.model.SliceModel;

import java.util.function.Consumer;

/**
 * One job's (or one batch's) hold on the model that was active when it started ({@link LiverModel#acquire}): it
 * runs on that model to the end, whatever is promoted meanwhile. Close it when done.
 */
public final class ModelLease implements AutoCloseable {

    private final LoadedModel model;
    private final SliceModel network;
    private final Consumer<LoadedModel> release;
    private boolean released;

    ModelLease(LoadedModel model, SliceModel network, Consumer<LoadedModel> release) {
        this.model = model;
        this.network = network;
        this.release = release;
    }

    /** The model's card and settings; run it through {@link #network()} when others may run at once. */
    public LiverPredictor predictor() {
        return model.predictor;
    }

    /** The network, taking turns with every other caller of any loaded model. */
    public SliceModel network() {
        return network;
    }

    /** Name and version of the model, as its SEG names it: masks of two versions are never mixed. */
    public String modelVersion() {
        return model.version;
    }

    /** The model's version and weights' SHA-256: what masks computed ahead of the job are keyed by. */
    public String modelIdentity() {
        return model.identity;
    }

    @Override
    public synchronized void close() {
        if (!released) {
            released = true;
            release.accept(model);
        }
    }
}
