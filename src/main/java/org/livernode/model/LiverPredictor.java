package org.livernode.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A trained liver model loaded from its directory. Input slices are HU at the card's input size; the card's
 * intensity mapping is applied here, so callers never window the data themselves. Not thread-safe.
 */
public final class LiverPredictor implements AutoCloseable {

    private final ModelCard card;
    private final Model model;
    private final UNetBlock block;
    private final ParameterStore parameterStore;
    private final int batchSize;
    private final boolean testTimeAugmentation;

    private LiverPredictor(ModelCard card, Model model, UNetBlock block, int batchSize, boolean tta) {
        this.card = card;
        this.model = model;
        this.block = block;
        this.parameterStore = new ParameterStore(model.getNDManager(), false);
        this.batchSize = batchSize;
        this.testTimeAugmentation = tta;
    }

    /** Loads with the card's test-time augmentation setting and batch size 8, on a GPU if DJL sees one. */
    public static LiverPredictor load(Path modelDir) throws IOException {
        ModelCard card = ModelFiles.readCard(modelDir);
        return load(modelDir, 8, card.testTimeAugmentation());
    }

    public static LiverPredictor load(Path modelDir, int batchSize, boolean testTimeAugmentation) throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
        }
        ModelCard card = ModelFiles.readCard(modelDir);
        Device device = ComputeDevice.preferred();
        Model model = Model.newInstance(card.name(), device, "PyTorch");
        try {
            UNetBlock block = new UNetBlock(card.architecture());
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, card.inputSize(), card.inputSize()));
            ModelFiles.loadWeights(block, model.getNDManager(), modelDir, card);
            return new LiverPredictor(card, model, block, batchSize, testTimeAugmentation);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public ModelCard card() {
        return card;
    }

    /** The device the network runs on. */
    public Device device() {
        return model.getNDManager().getDevice();
    }

    public boolean testTimeAugmentation() {
        return testTimeAugmentation;
    }

    /** @param huSlices slices of inputSize x inputSize HU, row-major; returns the liver probability per pixel */
    public float[][] liverProbability(float[][] huSlices) {
        int size = card.inputSize();
        int pixels = size * size;
        float[][] out = new float[huSlices.length][];
        for (int start = 0; start < huSlices.length; start += batchSize) {
            int n = Math.min(batchSize, huSlices.length - start);
            float[] input = new float[n * pixels];
            for (int k = 0; k < n; k++) {
                float[] hu = huSlices[start + k];
                if (hu.length != pixels) {
                    throw new IllegalArgumentException("slice " + (start + k) + " must have " + size + "x" + size
                            + " = " + pixels + " pixels (the model's input size), found " + hu.length);
                }
                card.intensityMapping().apply(hu, input, k * pixels);
            }
            try (NDManager batch = model.getNDManager().newSubManager()) {
                NDArray x = batch.create(input, new Shape(n, 1, size, size));
                float[] p = Inference.probability(block, parameterStore, x, testTimeAugmentation).toFloatArray();
                for (int k = 0; k < n; k++) {
                    out[start + k] = java.util.Arrays.copyOfRange(p, k * pixels, (k + 1) * pixels);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
