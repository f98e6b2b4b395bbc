package org.livernode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * Encoder/decoder U-Net built from a {@link ModelArchitecture}. Input (N, 1, S, S) in [0, 1] (see
 * {@link IntensityMapping}); output liver logits (N, 1, S, S). With deep supervision the output list is
 * [fused, side(full), side(1/2), ...]: one 1x1-conv side output per decoder scale, bilinearly upsampled to
 * full size, concatenated and fused by a 1x1 convolution into the final prediction.
 *
 * <p>Encoder level 0 starts with a standard 3x3 stem convolution (a depthwise convolution over the single CT
 * channel would be one 3x3 filter), then every block follows the descriptor. The EAS module sits after the
 * bottleneck blocks, the deepest stage of the encoder. Decoder ("up-convolution"): 1x1 conv to the skip's width,
 * nearest-neighbour x2 (conv first: 4x fewer pixels; nearest: bilinear's backward pass costs 3x more on the
 * CPU), concatenation with the skip, two blocks. Side outputs are resized bilinearly (one channel, cheap).
 */
public final class UNetBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final ModelArchitecture arch;
    private final boolean batchNormFolded;
    private final List<Block> encoders = new ArrayList<>();
    private final List<Block> upConvs = new ArrayList<>();
    private final List<Block> decoders = new ArrayList<>();
    private final List<Block> heads = new ArrayList<>();
    private final Block eas;
    private final Block fusion;

    public UNetBlock(ModelArchitecture arch) {
        this(arch, false);
    }

    /** @param batchNormFolded the inference form: every batch norm folded into its convolution ({@link BatchNormFolding}) */
    public UNetBlock(ModelArchitecture arch, boolean batchNormFolded) {
        super(VERSION);
        this.arch = arch;
        this.batchNormFolded = batchNormFolded;
        int levels = arch.levels();
        for (int i = 0; i < levels; i++) {
            int in = i == 0 ? arch.baseWidth() : arch.channels(i - 1);
            SequentialBlock enc = new SequentialBlock();
            if (i == 0) {
                enc.add(ConvBlocks.standard().setInputChannels(1).setOutputChannels(arch.baseWidth())
                        .optBatchNormFolded(batchNormFolded).build());
            } else {
                enc.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
            enc.add(block(in, arch.channels(i))).add(block(arch.channels(i), arch.channels(i)));
            encoders.add(addChildBlock("encoder-" + i, enc));
        }
        eas = arch.eas()
                ? addChildBlock("eas", EasModule.builder().setChannels(arch.channels(levels - 1))
                        .optDilations(arch.asppDilations()).optLeakyReluSlope(arch.leakyReluSlope())
                        .optBatchNormFolded(batchNormFolded).build())
                : null;
        for (int i = levels - 2; i >= 0; i--) {
            int c = arch.channels(i);
            upConvs.add(addChildBlock("up-" + i, Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(c).build()));
            decoders.add(addChildBlock("decoder-" + i, new SequentialBlock().add(block(2 * c, c)).add(block(c, c))));
            if (arch.deepSupervision() || i == 0) {
                heads.add(addChildBlock("head-" + i, Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(1).build()));
            }
        }
        fusion = arch.deepSupervision()
                ? addChildBlock("fusion", Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(1).build())
                : null;
    }

    private Block block(int in, int out) {
        ConvBlocks.Builder b = arch.separable() ? ConvBlocks.separable() : ConvBlocks.standard();
        return b.setInputChannels(in).setOutputChannels(out).optLeakyReluSlope(arch.leakyReluSlope())
                .optBatchNormFolded(batchNormFolded).build();
    }

    public ModelArchitecture architecture() {
        return arch;
    }

    /** Trainable parameters (batch-norm running statistics excluded); the block must be initialised. */
    public long trainableParameterCount() {
        return getParameters().values().stream().filter(p -> p.requiresGradient())
                .mapToLong(p -> p.getArray().getShape().size()).sum();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long height = x.getShape().get(2);
        long width = x.getShape().get(3);
        List<NDArray> skips = new ArrayList<>();
        for (Block enc : encoders) {
            x = enc.forward(ps, new NDList(x), training).singletonOrThrow();
            skips.add(x);
        }
        if (eas != null) {
            x = eas.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        NDList sides = new NDList();
        int head = 0;
        for (int j = 0; j < decoders.size(); j++) {
            NDArray skip = skips.get(skips.size() - 2 - j);
            x = upConvs.get(j).forward(ps, new NDList(x), training).singletonOrThrow();
            x = Activations.resizeNearest(x, skip.getShape().get(2), skip.getShape().get(3));
            x = decoders.get(j).forward(ps, new NDList(NDArrays.concat(new NDList(x, skip), 1)), training).singletonOrThrow();
            if (arch.deepSupervision() || j == decoders.size() - 1) {
                NDArray side = heads.get(head++).forward(ps, new NDList(x), training).singletonOrThrow();
                sides.add(side.getShape().get(2) == height ? side : Activations.resizeBilinear(side, height, width));
            }
        }
        if (fusion == null) {
            return sides;
        }
        NDList outputs = new NDList(sides.size() + 1);
        outputs.add(fusion.forward(ps, new NDList(NDArrays.concat(sides, 1)), training).singletonOrThrow());
        for (int k = sides.size() - 1; k >= 0; k--) {
            outputs.add(sides.get(k));
        }
        return outputs;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        long n = in.get(0);
        long h = in.get(2);
        long w = in.get(3);
        arch.checkInputSize((int) h);
        int levels = arch.levels();
        for (int i = 0; i < levels; i++) {
            long c = i == 0 ? in.get(1) : arch.channels(i - 1);
            long div = i == 0 ? 1 : 1L << (i - 1);
            encoders.get(i).initialize(manager, dataType, new Shape(n, c, h / div, w / div));
        }
        long bottom = 1L << (levels - 1);
        if (eas != null) {
            eas.initialize(manager, dataType, new Shape(n, arch.channels(levels - 1), h / bottom, w / bottom));
        }
        int head = 0;
        for (int j = 0; j < decoders.size(); j++) {
            int i = levels - 2 - j;
            long div = 1L << i;
            upConvs.get(j).initialize(manager, dataType, new Shape(n, arch.channels(i + 1), h / div / 2, w / div / 2));
            decoders.get(j).initialize(manager, dataType, new Shape(n, 2L * arch.channels(i), h / div, w / div));
            if (arch.deepSupervision() || i == 0) {
                heads.get(head++).initialize(manager, dataType, new Shape(n, arch.channels(i), h / div, w / div));
            }
        }
        if (fusion != null) {
            fusion.initialize(manager, dataType, new Shape(n, heads.size(), h, w));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape out = new Shape(in.get(0), 1, in.get(2), in.get(3));
        Shape[] shapes = new Shape[arch.outputCount()];
        java.util.Arrays.fill(shapes, out);
        return shapes;
    }
}
