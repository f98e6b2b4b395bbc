package org.livernode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * The EAS module (ECA + ASPP): parallel branches over the same feature map, a 1x1 convolution whose output is
 * filtered by ECA channel attention (the paper's remedy for the plain 1x1 path), depthwise separable 3x3 atrous
 * convolutions at each dilation (6, 12, 18), and an image-level branch (global average pool, 1x1 conv, ReLU,
 * broadcast back); the branches are concatenated, projected by 1x1 conv + BN + ReLU to the input width, and
 * ECA attention weighs the projected channels. Output shape = input shape.
 */
public final class EasModule extends AbstractBlock {

    private final int channels;
    private final int branchChannels;
    private final List<Integer> dilations;
    private final SequentialBlock pointBranch;
    private final List<Block> atrousBranches = new ArrayList<>();
    private final Conv2d imageConv;
    private final SequentialBlock projection;

    private EasModule(Builder b) {
        this.channels = b.channels;
        this.branchChannels = b.branchChannels;
        this.dilations = List.copyOf(b.dilations);
        SequentialBlock point = new SequentialBlock().add(Conv2d.builder().setKernelShape(new Shape(1, 1))
                .setFilters(branchChannels).optBias(b.batchNormFolded).build());
        ConvBlocks.addBatchNorm(point, b.batchNormFolded);
        pointBranch = addChildBlock("point", point.add(Activation.reluBlock()).add(new EcaBlock(branchChannels)));
        for (int d : dilations) {
            atrousBranches.add(addChildBlock("atrous-" + d, ConvBlocks.separable().setInputChannels(channels)
                    .setOutputChannels(branchChannels).optDilation(d).optLeakyReluSlope(b.leakyReluSlope)
                    .optBatchNormFolded(b.batchNormFolded).build()));
        }
        imageConv = addChildBlock("image-pool", Conv2d.builder().setKernelShape(new Shape(1, 1))
                .setFilters(branchChannels).build());
        SequentialBlock project = new SequentialBlock().add(Conv2d.builder().setKernelShape(new Shape(1, 1))
                .setFilters(channels).optBias(b.batchNormFolded).build());
        ConvBlocks.addBatchNorm(project, b.batchNormFolded);
        projection = addChildBlock("projection", project.add(Activation.reluBlock()).add(new EcaBlock(channels)));
    }

    public static Builder builder() {
        return new Builder();
    }

    private int branchCount() {
        return dilations.size() + 2;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        NDList branches = new NDList(branchCount());
        branches.add(pointBranch.forward(ps, inputs, training).singletonOrThrow());
        for (Block atrous : atrousBranches) {
            branches.add(atrous.forward(ps, inputs, training).singletonOrThrow());
        }
        NDArray pooled = Pool.globalAvgPool2d(x).reshape(s.get(0), channels, 1, 1);
        NDArray image = Activation.relu(imageConv.forward(ps, new NDList(pooled), training).singletonOrThrow());
        branches.add(image.broadcast(new Shape(s.get(0), branchChannels, s.get(2), s.get(3))));
        return projection.forward(ps, new NDList(NDArrays.concat(branches, 1)), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        pointBranch.initialize(manager, dataType, in);
        for (Block atrous : atrousBranches) {
            atrous.initialize(manager, dataType, in);
        }
        imageConv.initialize(manager, dataType, new Shape(in.get(0), channels, 1, 1));
        projection.initialize(manager, dataType,
                new Shape(in.get(0), (long) branchChannels * branchCount(), in.get(2), in.get(3)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    /** Convolution multiply-accumulates on an h x w map (the descriptor's analytic cost). */
    static long multiplyAccumulates(int channels, int branchChannels, int atrousCount, long h, long w) {
        long hw = h * w;
        long macs = hw * channels * branchChannels + EcaBlock.multiplyAccumulates(branchChannels);
        macs += atrousCount * ConvBlocks.multiplyAccumulates(true, channels, branchChannels, h, w);
        macs += (long) channels * branchChannels;
        macs += hw * (long) branchChannels * (atrousCount + 2) * channels + EcaBlock.multiplyAccumulates(channels);
        return macs;
    }

    public static final class Builder {
        private int channels;
        private int branchChannels;
        private List<Integer> dilations = List.of(6, 12, 18);
        private float leakyReluSlope = 0.01f;
        private boolean batchNormFolded;

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        public Builder optBranchChannels(int branchChannels) {
            this.branchChannels = branchChannels;
            return this;
        }

        public Builder optDilations(List<Integer> dilations) {
            this.dilations = dilations;
            return this;
        }

        public Builder optLeakyReluSlope(float slope) {
            this.leakyReluSlope = slope;
            return this;
        }

        /** For inference: batch norms folded into their convolutions ({@link BatchNormFolding}). */
        public Builder optBatchNormFolded(boolean folded) {
            this.batchNormFolded = folded;
            return this;
        }

        public EasModule build() {
            if (channels <= 0) {
                throw new IllegalArgumentException("channels must be > 0, found " + channels);
            }
            if (branchChannels == 0) {
                branchChannels = Math.max(1, channels / 2);
            }
            if (branchChannels < 0) {
                throw new IllegalArgumentException("branchChannels must be > 0, found " + branchChannels);
            }
            if (dilations.isEmpty() || dilations.stream().anyMatch(d -> d < 1)) {
                throw new IllegalArgumentException("dilations must be a non-empty list of rates >= 1, found " + dilations);
            }
            return new EasModule(this);
        }
    }
}
