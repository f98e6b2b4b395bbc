package org.livernode.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {

    private static final int SIZE = 32;

    private static float[][] huSlices(int n) {
        Random random = new Random(7);
        float[][] hu = new float[n][SIZE * SIZE];
        for (float[] s : hu) {
            for (int i = 0; i < s.length; i++) {
                s[i] = -200 + 600 * random.nextFloat();
            }
        }
        return hu;
    }

    @Test
    void savedModelLoadsAndGivesIdenticalOutputs(@TempDir Path dir) throws IOException {
        ModelArchitecture arch = ModelArchitecture.easUnet(8);
        IntensityMapping mapping = IntensityMapping.litsSlices();
        float[][] hu = huSlices(3);
        float[] expected;
        try (Model model = Model.newInstance("t", Device.cpu(), "PyTorch")) {
            UNetBlock block = new UNetBlock(arch);
            model.setBlock(block);
            NDManager m = model.getNDManager();
            block.initialize(m, DataType.FLOAT32, new Shape(3, 1, SIZE, SIZE));
            ParameterStore ps = new ParameterStore(m, false);
            float[] input = new float[3 * SIZE * SIZE];
            for (int k = 0; k < 3; k++) {
                mapping.apply(hu[k], input, k * SIZE * SIZE);
            }
            NDArray x = m.create(input, new Shape(3, 1, SIZE, SIZE));
            block.forward(ps, new NDList(x), true); // moves the batch-norm running statistics away from their start
            expected = Inference.probability(block, ps, x, false).toFloatArray();
            ModelCard card = new ModelCard("test-model", "1", arch, 1, 1, 2, SIZE, mapping, 0.5f, false,
                    Map.of("data", "random"), Map.of(), Instant.now().toString(), "test", null, null);
            ModelCard saved = ModelFiles.save(block, card, dir);
            assertEquals(ModelFiles.sha256(dir.resolve(ModelFiles.WEIGHTS_FILE)), saved.weightsSha256());
        }
        // the trained form, as saved: bit-identical; the folded form (the default) rounds differently, below
        try (LiverPredictor predictor = LiverPredictor.load(dir, 3, false, false, InferenceEngine.PYTORCH)) {
            assertEquals(arch, predictor.card().architecture());
            assertEquals(mapping, predictor.card().intensityMapping());
            float[][] p = predictor.liverProbability(hu);
            float[] flat = new float[3 * SIZE * SIZE];
            for (int k = 0; k < 3; k++) {
                System.arraycopy(p[k], 0, flat, k * SIZE * SIZE, SIZE * SIZE);
            }
            assertArrayEquals(expected, flat, 0f, "same weights, same batch: bit-identical probabilities");
        }
        try (LiverPredictor folded = LiverPredictor.load(dir, 3, false)) {
            assertTrue(folded.batchNormFolded());
            float[][] p = folded.liverProbability(hu);
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(java.util.Arrays.copyOfRange(expected, k * SIZE * SIZE, (k + 1) * SIZE * SIZE), p[k],
                        1e-4f, "folding the batch norms changes the rounding, not more");
            }
        }
        try (LiverPredictor smallBatches = LiverPredictor.load(dir, 2, false, false, InferenceEngine.PYTORCH)) {
            float[] p = smallBatches.liverProbability(hu)[2];
            float[] e = java.util.Arrays.copyOfRange(expected, 2 * SIZE * SIZE, 3 * SIZE * SIZE);
            // another batch size may make libtorch sum in another order: float rounding through every layer (1e-6 was
            // seen once), far below anything a 0.5 threshold notices
            assertArrayEquals(e, p, 1e-4f, "batching may change the rounding, not more");
        }
        try (LiverPredictor tta = LiverPredictor.load(dir, 3, true)) {
            float[] p = tta.liverProbability(hu)[1];
            for (float v : p) {
                assertTrue(v >= 0 && v <= 1, "probability " + v);
            }
        }
    }

    /** A small plain U-Net with its initial weights, saved with a minimal card. */
    private static void saveUntrainedUnet(Path dir) throws IOException {
        ModelArchitecture arch = ModelArchitecture.unet(4);
        try (Model model = Model.newInstance("t", Device.cpu(), "PyTorch")) {
            UNetBlock block = new UNetBlock(arch);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, SIZE, SIZE));
            ModelFiles.save(block, new ModelCard("t", "1", arch, 1, 1, 2, SIZE, IntensityMapping.litsSlices(), 0.5f,
                    false, null, null, null, null, null, null), dir);
        }
    }

    @Test
    void tamperedWeightsAreRefused(@TempDir Path dir) throws IOException {
        saveUntrainedUnet(dir);
        Path weights = dir.resolve(ModelFiles.WEIGHTS_FILE);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        IOException e = assertThrows(IOException.class, () -> LiverPredictor.load(dir));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void wrongSliceSizeIsRefusedWithTheSizes(@TempDir Path dir) throws IOException {
        saveUntrainedUnet(dir);
        try (LiverPredictor predictor = LiverPredictor.load(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> predictor.liverProbability(new float[][] {new float[10]}));
            assertTrue(e.getMessage().contains("1024") && e.getMessage().contains("10"), e.getMessage());
        }
    }
}
