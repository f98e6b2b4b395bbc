package org.livernode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import java.util.Arrays;

/**
 * Runs a block on HU slices: the card's intensity mapping, batches of batchSize, the forward pass ({@link Inference}).
 * A loaded model ({@link LiverPredictor}) and training's validation both run through here, so both see the same input.
 */
public final class BlockInference implements SliceModel {

    private final Block block;
    private final NDManager manager;
    private final ParameterStore parameterStore;
    private final int inputSize;
    private final IntensityMapping mapping;
    private final int batchSize;
    private final boolean testTimeAugmentation;

    public BlockInference(Block block, NDManager manager, int inputSize, IntensityMapping mapping, int batchSize,
                          boolean testTimeAugmentation) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
        }
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be >= 1, found " + inputSize);
        }
        this.block = block;
        this.manager = manager;
        this.parameterStore = new ParameterStore(manager, false);
        this.inputSize = inputSize;
        this.mapping = mapping;
        this.batchSize = batchSize;
        this.testTimeAugmentation = testTimeAugmentation;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    public boolean testTimeAugmentation() {
        return testTimeAugmentation;
    }

    @Override
    public float[][] liverProbability(float[][] huSlices) {
        int pixels = inputSize * inputSize;
        float[][] out = new float[huSlices.length][];
        for (int start = 0; start < huSlices.length; start += batchSize) {
            int n = Math.min(batchSize, huSlices.length - start);
            float[] input = new float[n * pixels];
            for (int k = 0; k < n; k++) {
                float[] hu = huSlices[start + k];
                if (hu.length != pixels) {
                    throw new IllegalArgumentException("slice " + (start + k) + " must have " + inputSize + "x" + inputSize
                            + " = " + pixels + " pixels (the model's input size), found " + hu.length);
                }
                mapping.apply(hu, input, k * pixels);
            }
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = batch.create(input, new Shape(n, 1, inputSize, inputSize));
                float[] p = Inference.probability(block, parameterStore, x, testTimeAugmentation).toFloatArray();
                for (int k = 0; k < n; k++) {
                    out[start + k] = Arrays.copyOfRange(p, k * pixels, (k + 1) * pixels);
                }
            }
        }
        return out;
    }
}
