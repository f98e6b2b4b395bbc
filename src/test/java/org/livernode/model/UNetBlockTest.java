package org.livernode.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UNetBlockTest {

    /** Output shapes of a real forward pass (training mode, so batch norm uses batch statistics). */
    private static Shape[] forward(Block block, Shape shape) {
        try (Model model = Model.newInstance("t", ai.djl.Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            NDManager m = model.getNDManager();
            block.initialize(m, DataType.FLOAT32, shape);
            NDList out = block.forward(new ParameterStore(m, false), new NDList(m.randomUniform(0, 1, shape)), true);
            return out.stream().map(NDArray::getShape).toArray(Shape[]::new);
        }
    }

    @Test
    void easUnetGivesFusedAndOneSideOutputPerDecoderScaleAtInputSize() {
        ModelArchitecture arch = ModelArchitecture.easUnet(8);
        Shape[] out = forward(new UNetBlock(arch), new Shape(2, 1, 64, 64));
        assertEquals(5, out.length, "fused + 4 side outputs");
        for (Shape s : out) {
            assertEquals(new Shape(2, 1, 64, 64), s);
        }
        assertArrayEquals(new UNetBlock(arch).getOutputShapes(new Shape[] {new Shape(2, 1, 64, 64)}), out);
    }

    @Test
    void plainUnetGivesOneOutput() {
        Shape[] out = forward(new UNetBlock(ModelArchitecture.unet(8)), new Shape(1, 1, 32, 32));
        assertArrayEquals(new Shape[] {new Shape(1, 1, 32, 32)}, out);
    }

    @Test
    void separableBlockChangesChannelsOnly() {
        Shape[] out = forward(ConvBlocks.separable().setInputChannels(6).setOutputChannels(10).optDilation(2).build(),
                new Shape(2, 6, 12, 12));
        assertEquals(new Shape(2, 10, 12, 12), out[0]);
    }

    @Test
    void easModuleKeepsItsInputShape() {
        Shape[] out = forward(EasModule.builder().setChannels(32).build(), new Shape(2, 32, 8, 8));
        assertEquals(new Shape(2, 32, 8, 8), out[0]);
    }

    @Test
    void ecaKernelAdaptsToChannelCount() {
        assertEquals(3, EcaBlock.adaptiveKernelSize(16));
        assertEquals(3, EcaBlock.adaptiveKernelSize(64));
        assertEquals(5, EcaBlock.adaptiveKernelSize(256));
        Shape[] out = forward(new EcaBlock(16), new Shape(2, 16, 5, 5));
        assertEquals(new Shape(2, 16, 5, 5), out[0]);
    }

    @Test
    void separableNetworkIsSmallerAndCheaperThanPlainUnet() {
        ModelComplexity eas = ModelComplexity.of(ModelArchitecture.easUnet(16), 256);
        ModelComplexity unet = ModelComplexity.of(ModelArchitecture.unet(16), 256);
        assertTrue(eas.flops() < unet.flops() / 3, eas + " vs " + unet);
        // stem alone: 256*256*9*16 MACs
        assertTrue(eas.multiplyAccumulates() > 256L * 256 * 9 * 16);
    }

    @Test
    void invalidDescriptorsAreRefusedWithTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelArchitecture.forCliName("resnet", 16));
        assertTrue(e.getMessage().contains("resnet"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelArchitecture.easUnet(16).checkInputSize(200));
        assertTrue(e.getMessage().contains("multiple of 16") && e.getMessage().contains("200"), e.getMessage());
    }

    @Test
    void testTimeTransformsAreTheEightDistinctInvertibleSymmetries() {
        int size = 4;
        float[] x = new float[2 * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int t = 0; t < 8; t++) {
            float[] y = Inference.transform(x, size, t);
            assertArrayEquals(x, Inference.inverse(y, size, t), "transform " + t);
            assertTrue(seen.add(java.util.Arrays.toString(y)), "transform " + t + " repeats another one");
        }
        // t = 1 is the transpose of each plane: row 0 of the first plane becomes its column 0
        float[] transposed = Inference.transform(x, size, 1);
        assertEquals(4f, transposed[1]);
        assertEquals(16f + 4f, transposed[16 + 1]);
    }
}
