package org.livernode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;

import java.nio.FloatBuffer;

/**
 * Inference form of a trained network: each batch norm after a bias-free convolution becomes that convolution's
 * scale and bias (w' = w * g / sqrt(v + eps), b' = beta - m * g / sqrt(v + eps)), one element-wise pass less per
 * block; libtorch adds the bias inside the convolution. Both blocks are built from the same descriptor, so their
 * parameters come in the same order, the folded one lacking the four batch-norm arrays and having a bias instead.
 */
public final class BatchNormFolding {

    /** DJL's BatchNorm default, which every batch norm of these networks uses. */
    static final float EPSILON = 1e-5f;

    private BatchNormFolding() {
    }

    /** Copies trained's parameters into folded (both initialised), folding each batch norm on the way. */
    public static void copyFolded(Block trained, Block folded) {
        PairList<String, Parameter> from = trained.getParameters();
        PairList<String, Parameter> to = folded.getParameters();
        int j = 0;
        for (int i = 0; i < from.size(); i++, j++) {
            if (j >= to.size()) {
                throw new IllegalArgumentException("the folded block has fewer parameters than the trained one, at "
                        + from.get(i).getKey());
            }
            NDArray source = from.get(i).getValue().getArray();
            Parameter target = to.get(j).getValue();
            boolean normFollows = i + 4 < from.size() && from.get(i + 1).getValue().getType() == Parameter.Type.GAMMA;
            if (!normFollows) {
                set(target, source);
                continue;
            }
            NDArray gamma = from.get(i + 1).getValue().getArray();
            NDArray beta = from.get(i + 2).getValue().getArray();
            NDArray mean = from.get(i + 3).getValue().getArray();
            NDArray variance = from.get(i + 4).getValue().getArray();
            NDArray scale = gamma.div(variance.add(EPSILON).sqrt());
            long out = source.getShape().get(0);
            set(target, source.mul(scale.reshape(out, 1, 1, 1)));
            set(to.get(++j).getValue(), beta.sub(mean.mul(scale)));
            i += 4;
        }
        if (j != to.size()) {
            throw new IllegalArgumentException("the folded block has " + to.size() + " parameters, " + j + " were filled");
        }
    }

    private static void set(Parameter target, NDArray value) {
        NDArray array = target.getArray();
        if (!array.getShape().equals(value.getShape())) {
            throw new IllegalArgumentException("parameter " + target.getName() + " has shape " + array.getShape()
                    + ", the folded value " + value.getShape());
        }
        array.set(FloatBuffer.wrap(value.toFloatArray()));
    }
}
