package org.livernode.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.model.ModelArchitecture;
import org.livernode.model.ModelCard;
import org.livernode.model.ModelFiles;
import org.livernode.model.UNetBlock;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --average-from}: OUTPUT/averaged holds the mean of the weights of the averaged epochs, its batch-norm
 * statistics measured again (not the mean of the epochs' statistics), with a card naming the epochs and its own
 * validation figures. Training is repeatable, so a run of 3 epochs gives the weights a run of 4 had after epoch 3.
 */
class WeightAverageTest {
    private static final int SIZE = 32;
    private static final ModelArchitecture ARCH = ModelArchitecture.easUnet(4);

    private static TrainingOptions.Builder options(Path out, int epochs) {
        // a constant learning rate and no warm-up: epoch 3 of a 3-epoch run and of a 4-epoch run are the same
        return TrainingOptions.builder().setArchitecture(ARCH).setOutput(out).optEpochs(epochs).optBatchSize(2)
                .optInputSize(SIZE).optScaleJitter(0).optLearningRate(0.1f)
                .optSchedule(LearningRateSchedule.Kind.CONSTANT).optWarmupEpochs(0);
    }

    @Test
    void averagedModelIsTheMeanOfTheLastEpochsWeightsWithItsBatchNormsMeasuredAgain(@TempDir Path dir) throws Exception {
        CaseSplit split = TrainingRunTest.discsSplit();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        new SegmentationTraining(options(dir.resolve("three"), 3).build(), quiet).run("synthetic discs", split);
        new SegmentationTraining(options(dir.resolve("four"), 4).optAverageFromEpoch(3).build(), quiet)
                .run("synthetic discs", split);

        Path averagedDir = dir.resolve("four").resolve(SegmentationTraining.AVERAGED_DIR);
        ModelCard card = ModelFiles.readCard(averagedDir);
        assertEquals("swa-3-4", card.version());
        assertEquals(List.of(3, 4), card.training().get("averagedEpochs"));
        assertEquals(ModelFiles.sha256(averagedDir.resolve(ModelFiles.WEIGHTS_FILE)), card.weightsSha256());
        assertTrue(card.metrics().get("val_dsc_pooled") >= 0, card.metrics().toString());

        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, float[]> epoch3 = weights(manager, dir.resolve("three").resolve(SegmentationTraining.CHECKPOINT_DIR));
            Map<String, float[]> epoch4 = weights(manager, dir.resolve("four").resolve(SegmentationTraining.CHECKPOINT_DIR));
            Map<String, float[]> averaged = weights(manager, averagedDir);
            Map<String, Parameter.Type> types = types(manager);
            int learned = 0;
            int statistics = 0;
            int measuredAgain = 0;
            for (Map.Entry<String, float[]> e : averaged.entrySet()) {
                float[] a = epoch3.get(e.getKey());
                float[] b = epoch4.get(e.getKey());
                float[] mean = e.getValue();
                Parameter.Type type = types.get(e.getKey());
                if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                    statistics++;
                    boolean differs = false;
                    for (int i = 0; i < mean.length; i++) {
                        differs |= Math.abs(mean[i] - (a[i] + b[i]) / 2) > 1e-4 * (1 + Math.abs(mean[i]));
                    }
                    measuredAgain += differs ? 1 : 0;
                    continue;
                }
                learned++;
                for (int i = 0; i < mean.length; i++) {
                    assertEquals((a[i] + b[i]) / 2, mean[i], 1e-6 * (1 + Math.abs(mean[i])), e.getKey() + "[" + i + "]");
                }
            }
            assertTrue(learned > 0 && statistics > 0, learned + " weights, " + statistics + " statistics");
            assertEquals(statistics, measuredAgain, "every batch norm's statistics measured for the mean of the weights");
        }
    }

    @Test
    void averagingNeedsTheWholeRunInOneProcess(@TempDir Path dir) {
        IllegalArgumentException resumed = assertThrows(IllegalArgumentException.class,
                () -> options(dir, 4).optAverageFromEpoch(3).optResume(true).build());
        assertTrue(resumed.getMessage().contains("cannot be combined with resume or stop-after"), resumed.getMessage());
        IllegalArgumentException late = assertThrows(IllegalArgumentException.class,
                () -> options(dir, 4).optAverageFromEpoch(5).build());
        assertEquals("average-from must be an epoch in [1, 4] (0 = off), found 5", late.getMessage());
    }

    private static Map<String, float[]> weights(NDManager manager, Path modelDir) throws Exception {
        UNetBlock block = new UNetBlock(ARCH);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, SIZE, SIZE));
        ModelFiles.loadWeights(block, manager, modelDir, ModelFiles.readCard(modelDir));
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            values.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    private static Map<String, Parameter.Type> types(NDManager manager) {
        UNetBlock block = new UNetBlock(ARCH);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, SIZE, SIZE));
        Map<String, Parameter.Type> types = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            types.put(p.getKey(), p.getValue().getType());
        }
        return types;
    }
}
