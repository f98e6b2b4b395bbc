package org.livernode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
        NDArray sum = null;
        for (int t = 0; t < 8; t++) {
            NDArray p = inverse(forward(block, ps, transform(input, t)), t);
            sum = sum == null ? p : sum.add(p);
        }
        return sum.div(8f);
    }

    private static NDArray forward(Block block, ParameterStore ps, NDArray input) {
        NDList out = block.forward(ps, new NDList(input), false);
        return Activation.sigmoid(out.get(0));
    }

    /** Transform t in 0..7: bit 0 transposes rows/columns, bit 1 flips rows, bit 2 flips columns (applied in that order). */
    static NDArray transform(NDArray x, int t) {
        NDArray y = (t & 1) != 0 ? x.transpose(0, 1, 3, 2) : x;
        if ((t & 2) != 0) {
            y = y.flip(2);
        }
        if ((t & 4) != 0) {
            y = y.flip(3);
        }
        return y;
    }

    static NDArray inverse(NDArray y, int t) {
        NDArray x = y;
        if ((t & 4) != 0) {
            x = x.flip(3);
        }
        if ((t & 2) != 0) {
            x = x.flip(2);
        }
        return (t & 1) != 0 ? x.transpose(0, 1, 3, 2) : x;
    }
}
