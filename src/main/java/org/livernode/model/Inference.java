package org.livernode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** Forward pass to liver probabilities, optionally averaged over the 8 flips/90-degree rotations. */
public final class Inference {

    private Inference() {
    }

    /** @param input (N, 1, S, S) mapped intensities; returns (N, 1, S, S) liver probability from the fused output */
    public static NDArray probability(Block block, ParameterStore ps, NDArray input, boolean testTimeAugmentation) {
        if (!testTimeAugmentation) {
            return forward(block, ps, input);
        }
        Shape shape = input.getShape();
        NDManager manager = input.getManager();
        ForwardPass pass = (x, n, size) -> {
            try (NDManager sub = manager.newSubManager()) {
                return forward(block, ps, sub.create(x, shape)).toFloatArray();
            }
        };
        return manager.create(probability(pass, input.toFloatArray(), (int) shape.get(0), (int) shape.get(3), true), shape);
    }

    /** The engine-independent form: n mapped size x size planes in, their liver probability out. */
    static float[] probability(ForwardPass pass, float[] x, int n, int size, boolean testTimeAugmentation) {
        if (!testTimeAugmentation) {
            return pass.probability(x, n, size);
        }
        // The flips and transposes are done on Java arrays: fed a transposed (strided) view, libtorch's CPU
        // convolutions took gigabytes per batch here.
        float[] sum = new float[x.length];
        for (int t = 0; t < 8; t++) {
            float[] back = inverse(pass.probability(transform(x, size, t), n, size), size, t);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += back[i] / 8f;
            }
        }
        return sum;
    }

    static NDArray forward(Block block, ParameterStore ps, NDArray input) {
        NDList out = block.forward(ps, new NDList(input), false);
        return Activation.sigmoid(out.get(0));
    }

    /**
     * Transform t in 0..7 of every size x size plane of x: bit 0 transposes rows/columns, bit 1 flips rows, bit 2
     * flips columns (applied in that order); the 8 together are all flips and 90-degree rotations.
     */
    static float[] transform(float[] x, int size, int t) {
        int[] source = sourceIndices(size, t);
        float[] y = new float[x.length];
        for (int base = 0; base < x.length; base += source.length) {
            for (int i = 0; i < source.length; i++) {
                y[base + i] = x[base + source[i]];
            }
        }
        return y;
    }

    /** Undoes {@link #transform}: the pixel taken from source(r, c) goes back there. */
    static float[] inverse(float[] y, int size, int t) {
        int[] source = sourceIndices(size, t);
        float[] x = new float[y.length];
        for (int base = 0; base < y.length; base += source.length) {
            for (int i = 0; i < source.length; i++) {
                x[base + source[i]] = y[base + i];
            }
        }
        return x;
    }

    /** For each pixel of a transformed plane, in row-major order, its index in the original plane (once per call). */
    private static int[] sourceIndices(int size, int t) {
        int[] source = new int[size * size];
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                source[r * size + c] = source(r, c, size, t);
            }
        }
        return source;
    }

    /** Index in the original plane of pixel (r, c) of the transformed plane. */
    private static int source(int r, int c, int size, int t) {
        int rr = (t & 2) != 0 ? size - 1 - r : r;
        int cc = (t & 4) != 0 ? size - 1 - c : c;
        return (t & 1) != 0 ? cc * size + rr : rr * size + cc;
    }
}
