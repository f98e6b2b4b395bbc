package org.livernode.model;

/**
 * What an inference engine does for {@link SliceBatches}: one batch of mapped slices in, liver probabilities out. The
 * engines (libtorch through DJL, {@link BlockInference}; ONNX Runtime, {@code onnx.OnnxSliceModel}) differ only here.
 */
@FunctionalInterface
public interface ForwardPass {

    /** @param input n planes of size x size mapped intensities, row-major; returns the probability of each pixel */
    float[] probability(float[] input, int n, int size);
}
