package org.livernode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Efficient Channel Attention (ECA-Net): global average pool, a 1D convolution across channels whose kernel size
 * adapts to the channel count (k = nearest odd |log2(C)/2 + 1/2|), sigmoid, rescale of the input channels.
 */
public final class EcaBlock extends AbstractBlock {

    private final int channels;
    private final int kernelSize;
    private final Conv1d conv;

    public EcaBlock(int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be > 0, found " + channels);
        }
        this.channels = channels;
        this.kernelSize = adaptiveKernelSize(channels);
        this.conv = addChildBlock("channel-conv", Conv1d.builder().setKernelShape(new Shape(kernelSize))
                .setFilters(1).optPadding(new Shape((kernelSize - 1) / 2)).optBias(false).build());
    }

    /** ECA-Net's adaptive kernel size with gamma = 2, b = 1, made odd. */
    public static int adaptiveKernelSize(int channels) {
        int t = (int) Math.abs((Math.log(channels) / Math.log(2) + 1) / 2);
        return t % 2 == 1 ? t : t + 1;
    }

    public int kernelSize() {
        return kernelSize;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long n = x.getShape().get(0);
        NDArray pooled = Pool.globalAvgPool2d(x).reshape(n, 1, channels);
        NDArray weights = Activation.sigmoid(conv.forward(ps, new NDList(pooled), training).singletonOrThrow());
        return new NDList(x.mul(weights.reshape(n, channels, 1, 1)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, new Shape(inputShapes[0].get(0), 1, channels));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    static long multiplyAccumulates(int channels) {
        return (long) channels * adaptiveKernelSize(channels);
    }
}
