package org.livernode.segmentation;

import org.livernode.model.LiverPredictor;

import java.nio.file.Path;

/** One loaded model of {@link LiverModel}, counted by the leases on it; guarded by the LiverModel. */
final class LoadedModel {
    final Path dir;
    final LiverPredictor predictor;
    /** The card's version: what every output of this model names. */
    final String version;
    /** Version and weights: two models of one version name are never taken for each other. */
    final String identity;
    int users;
    /** Replaced by a newer active model: freed when its last user is done. */
    boolean retired;
    volatile boolean closed;

    LoadedModel(Path dir, LiverPredictor predictor) {
        this.dir = dir;
        this.predictor = predictor;
        this.version = predictor.card().name() + " " + predictor.card().version();
        this.identity = version + " " + predictor.card().weightsSha256();
    }
}
