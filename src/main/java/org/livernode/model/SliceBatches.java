package org.livernode.model;

import java.util.Arrays;

/**
 * HU slices to liver probabilities for every engine: the card's intensity mapping, batches of batchSize, and the
 * optional 8-way test-time augmentation ({@link Inference}) around the engine's {@link ForwardPass}.
 */
public final class SliceBatches implements SliceModel {

    private final ForwardPass pass;
    private final int inputSize;
    private final IntensityMapping mapping;
    private final int batchSize;
    private final boolean testTimeAugmentation;

    public SliceBatches(ForwardPass pass, int inputSize, IntensityMapping mapping, int batchSize,
                        boolean testTimeAugmentation) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
        }
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be >= 1, found " + inputSize);
        }
        this.pass = pass;
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
            float[] p = Inference.probability(pass, input, n, inputSize, testTimeAugmentation);
            for (int k = 0; k < n; k++) {
                out[start + k] = Arrays.copyOfRange(p, k * pixels, (k + 1) * pixels);
            }
        }
        return out;
    }
}
