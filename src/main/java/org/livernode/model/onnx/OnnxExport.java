package org.livernode.model.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.util.Pair;
import org.livernode.model.EasModule;
import org.livernode.model.EcaBlock;
import org.livernode.model.ModelArchitecture;
import org.livernode.model.UNetBlock;
import org.livernode.model.onnx.OnnxGraph.Attribute;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a loaded {@link UNetBlock} as an ONNX model, in memory: DJL cannot export a block defined in Java, so the
 * graph is built here by walking the block's children, and mirrors the forward passes of UNetBlock and EasModule
 * (the fused output only, through a sigmoid: input (N, 1, S, S) mapped intensities, output "probability").
 * Weights are the block's own arrays (the SHA-256-checked weights file stays the source). A child this walker does
 * not know stops the export, so a change of the blocks cannot go unnoticed; OnnxEngineTest checks the masks.
 */
public final class OnnxExport {

    public static final String INPUT = "input";
    public static final String OUTPUT = "probability";

    private final OnnxGraph graph = new OnnxGraph();
    private final ModelArchitecture arch;

    private OnnxExport(ModelArchitecture arch) {
        this.arch = arch;
    }

    /** @param block initialised and loaded, folded or not (a batch norm stops the export: fold it first) */
    public static byte[] of(UNetBlock block, int inputSize, String producerVersion) {
        ModelArchitecture arch = block.architecture();
        arch.checkInputSize(inputSize);
        OnnxExport export = new OnnxExport(arch);
        export.graph.input(INPUT, -1, 1, inputSize, inputSize);
        String logits = export.unet(block, INPUT, inputSize);
        export.graph.output(export.graph.nodeTo(OUTPUT, "Sigmoid", List.of(logits)), -1, 1, inputSize, inputSize);
        return export.graph.model(arch.name(), producerVersion);
    }

    private String unet(UNetBlock block, String x, int size) {
        int levels = arch.levels();
        List<String> skips = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            x = sequential(child(block, "encoder-" + i), x);
            skips.add(x);
        }
        if (arch.eas()) {
            x = eas((EasModule) child(block, "eas"), x, size >> (levels - 1));
        }
        List<String> sides = new ArrayList<>();
        for (int i = levels - 2; i >= 0; i--) {
            x = conv((Convolution) child(block, "up-" + i), x);
            x = resize(x, 2, "nearest");
            x = graph.node("Concat", List.of(x, skips.get(i)), Attribute.i("axis", 1));
            x = sequential(child(block, "decoder-" + i), x);
            if (arch.deepSupervision() || i == 0) {
                String side = conv((Convolution) child(block, "head-" + i), x);
                sides.add(i == 0 ? side : resize(side, 1 << i, "linear"));
            }
        }
        if (!arch.deepSupervision()) {
            return sides.get(0);
        }
        return conv((Convolution) child(block, "fusion"), graph.node("Concat", sides, Attribute.i("axis", 1)));
    }

    /** Branches point, atrous-d..., image-pool concatenated in the module's order, then the projection. */
    private String eas(EasModule eas, String x, int size) {
        List<String> branches = new ArrayList<>();
        String out = null;
        for (Pair<String, Block> c : eas.getChildren()) {
            String name = childName(c.getKey());
            if (name.equals("point") || name.startsWith("atrous-")) {
                branches.add(sequential(c.getValue(), x));
            } else if (name.equals("image-pool")) {
                Convolution conv = (Convolution) c.getValue();
                String image = graph.node("Relu", conv(conv, graph.node("GlobalAveragePool", x)));
                String shape = graph.int64s("image_shape", 1, conv.getFilters(), size, size);
                branches.add(graph.node("Expand", List.of(image, shape)));
            } else if (name.equals("projection")) {
                out = sequential(c.getValue(), graph.node("Concat", branches, Attribute.i("axis", 1)));
            } else {
                throw unknown(c.getValue(), "eas/" + name);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("the EAS module has no projection to export");
        }
        return out;
    }

    private String sequential(Block block, String x) {
        if (!(block instanceof SequentialBlock)) {
            return layer(block, x);
        }
        for (Pair<String, Block> c : block.getChildren()) {
            x = layer(c.getValue(), x);
        }
        return x;
    }

    private String layer(Block block, String x) {
        if (block instanceof SequentialBlock) {
            return sequential(block, x);
        }
        if (block instanceof Convolution conv) {
            return conv(conv, x);
        }
        if (block instanceof EcaBlock eca) {
            return eca(eca, x);
        }
        if (block instanceof LambdaBlock lambda) {
            return switch (lambda.getName()) {
                case "ReLU" -> graph.node("Relu", x);
                case "leaky-relu" -> graph.node("LeakyRelu", x, Attribute.f("alpha", arch.leakyReluSlope()));
                case "h-swish" -> graph.node("HardSwish", x);
                case "maxPool2d" -> graph.node("MaxPool", x, Attribute.ints("kernel_shape", 2, 2),
                        Attribute.ints("strides", 2, 2)); // UNetBlock's Pool.maxPool2dBlock(2x2, 2x2)
                default -> throw unknown(block, lambda.getName());
            };
        }
        throw unknown(block, block.getClass().getSimpleName());
    }

    /** Channel attention: global average pool, a 1D convolution across channels, sigmoid, channels rescaled. */
    private String eca(EcaBlock eca, String x) {
        String pooled = graph.node("GlobalAveragePool", x);
        String row = graph.node("Reshape", List.of(pooled, graph.int64s("eca_row", 0, 1, -1)));
        String weights = graph.node("Sigmoid", conv((Convolution) child(eca, "channel-conv"), row));
        String column = graph.node("Reshape", List.of(weights, graph.int64s("eca_column", 0, -1, 1, 1)));
        return graph.node("Mul", List.of(x, column));
    }

    /** Conv, 1D or 2D, depthwise through group, with DJL's padding, stride and dilation and the block's weights. */
    private String conv(Convolution conv, String x) {
        NDArray w = conv.getParameters().get("weight").getArray();
        List<String> in = new ArrayList<>(List.of(x, graph.floats("weight", w.toFloatArray(), w.getShape().getShape())));
        if (conv.isIncludeBias()) {
            NDArray b = conv.getParameters().get("bias").getArray();
            in.add(graph.floats("bias", b.toFloatArray(), b.getShape().getShape()));
        }
        Shape pad = conv.getPadding();
        long[] pads = new long[2 * (int) pad.dimension()];
        for (int d = 0; d < pad.dimension(); d++) {
            pads[d] = pad.get(d);
            pads[d + (int) pad.dimension()] = pad.get(d);
        }
        return graph.node("Conv", in, Attribute.ints("kernel_shape", conv.getKernelShape().getShape()),
                Attribute.ints("strides", conv.getStride().getShape()), Attribute.ints("pads", pads),
                Attribute.ints("dilations", conv.getDilation().getShape()), Attribute.i("group", conv.getGroups()));
    }

    /**
     * Resize by an integer factor as libtorch's interpolate without corner alignment does it: nearest takes
     * floor(out / factor) (asymmetric, floor), bilinear samples at (out + 0.5) / factor - 0.5 (half pixel).
     */
    private String resize(String x, int factor, String mode) {
        String scales = graph.floats("scales", new float[] {1, 1, factor, factor}, 4);
        boolean nearest = mode.equals("nearest");
        return graph.node("Resize", List.of(x, "", scales), Attribute.s("mode", mode),
                Attribute.s("coordinate_transformation_mode", nearest ? "asymmetric" : "half_pixel"),
                Attribute.s("nearest_mode", "floor"));
    }

    /** DJL keys a child as its position (two digits) and the name it was added with. */
    private static Block child(Block parent, String name) {
        for (Pair<String, Block> c : parent.getChildren()) {
            if (childName(c.getKey()).equals(name)) {
                return c.getValue();
            }
        }
        throw new IllegalArgumentException("no child " + name + " in " + parent.getClass().getSimpleName()
                + " " + parent.getChildren().keys());
    }

    private static String childName(String key) {
        return key.replaceFirst("^[0-9]+", "");
    }

    private static IllegalArgumentException unknown(Block block, String what) {
        return new IllegalArgumentException("cannot export " + what + " (" + block.getClass().getName()
                + ") to ONNX: OnnxExport knows the EAS U-Net's blocks only");
    }
}
