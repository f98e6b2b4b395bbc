package org.livernode.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.livernode.model.onnx.OnnxSliceModel;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A trained liver model loaded from its directory. Input slices are HU at the card's input size; the card's
 * intensity mapping is applied here, so callers never window the data themselves. Not thread-safe.
 */
public final class LiverPredictor implements SliceModel, AutoCloseable {

    private final ModelCard card;
    private final Model model;
    private final SliceModel inference;
    private final InferenceEngine engine;
    private final boolean batchNormFolded;
    private final boolean testTimeAugmentation;

    private LiverPredictor(ModelCard card, Model model, UNetBlock block, int batchSize, boolean tta, boolean folded,
                           InferenceEngine engine) {
        this.card = card;
        this.batchNormFolded = folded;
        this.model = model;
        this.engine = engine;
        this.testTimeAugmentation = tta;
        this.inference = engine == InferenceEngine.ONNXRUNTIME
                ? new OnnxSliceModel(block, card.inputSize(), card.intensityMapping(), batchSize, tta,
                        card.name() + " " + card.version())
                : new BlockInference(block, model.getNDManager(), card.inputSize(), card.intensityMapping(), batchSize, tta);
    }

    /** Loads with the card's test-time augmentation setting and batch size 8, with the default engine. */
    public static LiverPredictor load(Path modelDir) throws IOException {
        ModelCard card = ModelFiles.readCard(modelDir);
        return load(modelDir, 8, card.testTimeAugmentation());
    }

    /**
     * The inference form (batch norms folded into the convolutions: masks as the trained form's, BatchNormFoldingTest)
     * run by the default engine, the node's unless livernode.inference.engine says otherwise.
     */
    public static LiverPredictor load(Path modelDir, int batchSize, boolean testTimeAugmentation) throws IOException {
        return load(modelDir, batchSize, testTimeAugmentation, InferenceEngine.DEFAULT);
    }

    /** The inference form run by the given engine (ONNX Runtime: the folded block exported to it at load). */
    public static LiverPredictor load(Path modelDir, int batchSize, boolean testTimeAugmentation,
                                      InferenceEngine engine) throws IOException {
        return load(modelDir, batchSize, testTimeAugmentation, true, engine);
    }

    /**
     * With {@code batchNormFolded} false, the trained form (libtorch only): what the folded form is checked against.
     * The engine is always named here, so no default can differ from the other overloads' (it once did).
     */
    public static LiverPredictor load(Path modelDir, int batchSize, boolean testTimeAugmentation,
                                      boolean batchNormFolded, InferenceEngine engine) throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
        }
        ModelCard card = ModelFiles.readCard(modelDir);
        Device device = engine == InferenceEngine.ONNXRUNTIME ? Device.cpu() : ComputeDevice.preferred();
        Model model = Model.newInstance(card.name(), device, "PyTorch");
        try {
            Shape input = new Shape(1, 1, card.inputSize(), card.inputSize());
            UNetBlock block = new UNetBlock(card.architecture(), batchNormFolded);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, input);
            if (batchNormFolded) {
                try (NDManager trainedArrays = model.getNDManager().newSubManager()) {
                    UNetBlock trained = new UNetBlock(card.architecture());
                    trained.initialize(trainedArrays, DataType.FLOAT32, input);
                    ModelFiles.loadWeights(trained, trainedArrays, modelDir, card);
                    BatchNormFolding.copyFolded(trained, block);
                }
            } else {
                ModelFiles.loadWeights(block, model.getNDManager(), modelDir, card);
            }
            return new LiverPredictor(card, model, block, batchSize, testTimeAugmentation, batchNormFolded, engine);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public ModelCard card() {
        return card;
    }

    /** The device the network runs on (ONNX Runtime: the CPU). */
    public Device device() {
        return model.getNDManager().getDevice();
    }

    /** Whether the network runs in its inference form (batch norms folded into the convolutions). */
    public boolean batchNormFolded() {
        return batchNormFolded;
    }

    public boolean testTimeAugmentation() {
        return testTimeAugmentation;
    }

    /** The engine that runs the forward pass. */
    public InferenceEngine engine() {
        return engine;
    }

    @Override
    public int inputSize() {
        return card.inputSize();
    }

    @Override
    public float[][] liverProbability(float[][] huSlices) {
        return inference.liverProbability(huSlices);
    }

    @Override
    public void close() {
        if (inference instanceof OnnxSliceModel onnx) {
            onnx.close();
        }
        model.close();
    }
}
