package org.livernode.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Stochastic weight averaging (Izmailov et al., 2018): the mean of the weights a run had at the end of several
 * epochs. It is one model, so it costs what a single checkpoint costs at inference, where an ensemble of the same
 * checkpoints would cost each of them. The running statistics of the batch norms are averaged too, but the
 * statistics of averaged weights are not the average of the statistics: {@link #measureBatchNorm} measures them
 * again on the training slices before the model is validated or saved.
 */
final class WeightAverage {

    /** Per parameter (by name), the mean so far; float64 so that many epochs add no rounding of their own. */
    private final Map<String, double[]> means = new LinkedHashMap<>();
    private int firstEpoch;
    private int lastEpoch;
    private int count;

    /** Adds the block's weights at the end of {@code epoch} to the mean. */
    void add(Block block, int epoch) {
        count++;
        for (Pair<String, Parameter> p : block.getParameters()) {
            float[] values = p.getValue().getArray().toFloatArray();
            double[] mean = means.computeIfAbsent(p.getKey(), k -> new double[values.length]);
            if (mean.length != values.length) {
                throw new IllegalStateException("parameter " + p.getKey() + " changed size: " + mean.length + " -> " + values.length);
            }
            for (int i = 0; i < values.length; i++) {
                mean[i] += (values[i] - mean[i]) / count;
            }
        }
        firstEpoch = count == 1 ? epoch : firstEpoch;
        lastEpoch = epoch;
    }

    /** Puts the mean into the block's parameters (the block's own weights are overwritten). */
    void applyTo(Block block) {
        if (count == 0) {
            throw new IllegalStateException("no epoch was added to the average");
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            double[] mean = means.get(p.getKey());
            if (mean == null) {
                throw new IllegalStateException("parameter " + p.getKey() + " is not in the average");
            }
            float[] values = new float[mean.length];
            for (int i = 0; i < mean.length; i++) {
                values[i] = (float) mean[i];
            }
            p.getValue().getArray().set(FloatBuffer.wrap(values));
        }
    }

    /**
     * Measures the batch norms' running statistics for the weights the trainer's block has now: forward passes in
     * training mode (which move the statistics) over the training slices, sampled and augmented as in training,
     * with no gradient and no update. A batch norm keeps 10 % of each new batch's statistics, so after the 60-odd
     * batches of an epoch of LiTS slices less than 0.2 % of the starting values is left.
     */
    static void measureBatchNorm(Trainer trainer, List<LabelledSlice> train, SliceSampler sampler, int batchSize,
                                 Random random) {
        int size = sampler.cropSize();
        for (int start = 0; start + 1 < train.size(); start += batchSize) {
            int n = Math.min(batchSize, train.size() - start);
            float[] x = sampler.augmentedBatch(train, start, n, random)[0];
            try (NDManager step = trainer.getManager().newSubManager()) {
                NDArray input = step.create(x, new Shape(n, 1, size, size));
                trainer.forward(new NDList(input)); // no gradient collector is open: nothing is recorded or updated
            }
        }
    }

    int firstEpoch() {
        return firstEpoch;
    }

    int lastEpoch() {
        return lastEpoch;
    }

    int count() {
        return count;
    }
}
