package org.livernode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Runs a DJL block (libtorch) on HU slices through {@link SliceBatches}: the card's intensity mapping, batches of
 * batchSize, the forward pass ({@link Inference}). A loaded model ({@link LiverPredictor}) and training's validation
 * both run through here, so both see the same input.
 */
public final class BlockInference implements SliceModel {

    private final SliceBatches batches;

    public BlockInference(Block block, NDManager manager, int inputSize, IntensityMapping mapping, int batchSize,
                          boolean testTimeAugmentation) {
        ParameterStore parameterStore = new ParameterStore(manager, false);
        // each batch (each augmented pass) in its own sub-manager, so native memory stays flat
        ForwardPass pass = (input, n, size) -> {
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = batch.create(input, new Shape(n, 1, size, size));
                return Inference.forward(block, parameterStore, x).toFloatArray();
            }
        };
        this.batches = new SliceBatches(pass, inputSize, mapping, batchSize, testTimeAugmentation);
    }

    @Override
    public int inputSize() {
        return batches.inputSize();
    }

    public boolean testTimeAugmentation() {
        return batches.testTimeAugmentation();
    }

    @Override
    public float[][] liverProbability(float[][] huSlices) {
        return batches.liverProbability(huSlices);
    }
}
