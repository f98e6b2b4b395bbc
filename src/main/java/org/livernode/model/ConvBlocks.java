package org.livernode.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

/**
 * The convolution blocks of both networks, built with set/opt builders into DJL SequentialBlocks.
 * {@link #separable()}: depthwise 3x3 (groups = channels), BN, LeakyReLU; pointwise 1x1, BN, h-swish.
 * {@link #standard()}: 3x3 convolution, BN, ReLU (the plain U-Net).
 */
public final class ConvBlocks {

    private ConvBlocks() {
    }

    public static Builder separable() {
        return new Builder(true);
    }

    public static Builder standard() {
        return new Builder(false);
    }

    /** Multiply-accumulates of one block on an h x w feature map (convolutions only; BN and activations are O(hwc)). */
    static long multiplyAccumulates(boolean separable, int in, int out, long h, long w) {
        return separable ? h * w * (9L * in + (long) in * out) : h * w * 9L * in * out;
    }

    public static final class Builder {
        private final boolean separable;
        private int inputChannels;
        private int outputChannels;
        private int dilation = 1;
        private float leakyReluSlope = 0.01f;
        private boolean batchNormFolded;

        private Builder(boolean separable) {
            this.separable = separable;
        }

        public Builder setInputChannels(int inputChannels) {
            this.inputChannels = inputChannels;
            return this;
        }

        public Builder setOutputChannels(int outputChannels) {
            this.outputChannels = outputChannels;
            return this;
        }

        public Builder optDilation(int dilation) {
            this.dilation = dilation;
            return this;
        }

        public Builder optLeakyReluSlope(float slope) {
            this.leakyReluSlope = slope;
            return this;
        }

        /** For inference: each batch norm folded into the convolution before it, which then has a bias. */
        public Builder optBatchNormFolded(boolean folded) {
            this.batchNormFolded = folded;
            return this;
        }

        public SequentialBlock build() {
            if (inputChannels <= 0) {
                throw new IllegalArgumentException("inputChannels must be > 0, found " + inputChannels);
            }
            if (outputChannels <= 0) {
                throw new IllegalArgumentException("outputChannels must be > 0, found " + outputChannels);
            }
            if (dilation < 1) {
                throw new IllegalArgumentException("dilation must be >= 1, found " + dilation);
            }
            Shape k3 = new Shape(3, 3);
            Shape pad = new Shape(dilation, dilation);
            Shape dil = new Shape(dilation, dilation);
            SequentialBlock block = new SequentialBlock();
            if (separable) {
                float slope = leakyReluSlope;
                block.add(Conv2d.builder().setKernelShape(k3).setFilters(inputChannels).optGroups(inputChannels)
                        .optPadding(pad).optDilation(dil).optBias(batchNormFolded).build());
                addBatchNorm(block, batchNormFolded);
                block.add(LambdaBlock.singleton(x -> Activations.leakyRelu(x, slope), "leaky-relu"))
                        .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(outputChannels)
                                .optBias(batchNormFolded).build());
                addBatchNorm(block, batchNormFolded);
                block.add(LambdaBlock.singleton(Activations::hardSwish, "h-swish"));
            } else {
                block.add(Conv2d.builder().setKernelShape(k3).setFilters(outputChannels)
                        .optPadding(pad).optDilation(dil).optBias(batchNormFolded).build());
                addBatchNorm(block, batchNormFolded);
                block.add(Activation.reluBlock());
            }
            return block;
        }
    }

    /** The batch norm after a bias-free convolution, unless folded into it ({@link BatchNormFolding}). */
    static void addBatchNorm(SequentialBlock block, boolean folded) {
        if (!folded) {
            block.add(BatchNorm.builder().build());
        }
    }
}
