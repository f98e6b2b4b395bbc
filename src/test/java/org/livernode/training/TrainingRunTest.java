package org.livernode.training;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.model.ModelArchitecture;
import org.livernode.model.ModelCard;
import org.livernode.model.ModelFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole (tiny) training run on synthetic discs: model directory, card, checkpoint and --resume. */
class TrainingRunTest {

    private static final int SIZE = 32;

    private static LabelledSlice disc(String caseId, int cx, int cy, int radius) {
        float[] hu = new float[SIZE * SIZE];
        byte[] mask = new byte[SIZE * SIZE];
        for (int r = 0; r < SIZE; r++) {
            for (int c = 0; c < SIZE; c++) {
                boolean in = (r - cy) * (r - cy) + (c - cx) * (c - cx) <= radius * radius;
                hu[r * SIZE + c] = in ? 120 : 10;
                mask[r * SIZE + c] = (byte) (in ? 1 : 0);
            }
        }
        return new LabelledSlice(caseId, SIZE, SIZE, hu, mask, 1, 1);
    }

    /** Two discs per case, five cases, split 80/20 by case. */
    private static CaseSplit discsSplit() {
        List<LabelledSlice> slices = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            slices.add(disc("case-" + c, 10 + 2 * c, 14, 6));
            slices.add(disc("case-" + c, 18, 12 + c, 5));
        }
        return CaseSplit.of(slices, 42, 0.8);
    }

    @Test
    void runWritesTheBestModelAndResumesFromItsCheckpoint(@TempDir Path out) throws Exception {
        CaseSplit split = discsSplit();
        TrainingOptions.Builder options = TrainingOptions.builder().setArchitecture(ModelArchitecture.easUnet(4))
                .setOutput(out).optBatchSize(4).optInputSize(SIZE).optScaleJitter(0);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingState first = new SegmentationTraining(options.optEpochs(1).build(), new PrintStream(log, true, StandardCharsets.UTF_8))
                .run("synthetic discs", split);
        assertEquals(1, first.epochsDone());
        assertEquals(1, first.bestEpoch());
        ModelCard card = ModelFiles.readCard(out);
        assertEquals(ModelFiles.sha256(out.resolve(ModelFiles.WEIGHTS_FILE)), card.weightsSha256());
        assertEquals(SIZE, card.inputSize());
        assertEquals("synthetic discs", card.training().get("data"));
        assertTrue(card.metrics().containsKey("val_dsc_pooled"));
        assertTrue(Files.isRegularFile(out.resolve("checkpoint/state.json")));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("epoch 1/1"), log.toString(StandardCharsets.UTF_8));

        log.reset();
        String firstWeights = ModelFiles.sha256(out.resolve("checkpoint").resolve(ModelFiles.WEIGHTS_FILE));
        TrainingState resumed = new SegmentationTraining(options.optEpochs(2).optResume(true).build(),
                new PrintStream(log, true, StandardCharsets.UTF_8)).run("synthetic discs", split);
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("resumed after epoch 1") && text.contains("epoch 2/2") && !text.contains("epoch 1/2"), text);
        assertEquals(2, resumed.epochsDone());
        assertEquals(2, resumed.history().size());
        assertTrue(!firstWeights.equals(ModelFiles.sha256(out.resolve("checkpoint").resolve(ModelFiles.WEIGHTS_FILE))),
                "the resumed epoch must train the loaded weights");
        assertTrue(resumed.history().get(1).loss() < 1.5 * resumed.history().get(0).loss(),
                "a resumed run continues from the loaded weights: " + resumed.history());
    }

    @Test
    void initStartsFromAnotherModelsWeightsAndRecordsThemInTheCard(@TempDir Path dir) throws Exception {
        CaseSplit split = discsSplit();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path pretrained = dir.resolve("pretrained");
        TrainingState fromScratch = new SegmentationTraining(TrainingOptions.builder().setArchitecture(ModelArchitecture.easUnet(4))
                .setOutput(pretrained).optBatchSize(4).optInputSize(SIZE).optScaleJitter(0).optLearningRate(0.1f).optEpochs(12).build(), quiet)
                .run("synthetic discs", split);
        String pretrainedSha = ModelFiles.readCard(pretrained).weightsSha256();

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path tuned = dir.resolve("tuned");
        TrainingState fineTuned = new SegmentationTraining(TrainingOptions.builder().setArchitecture(ModelArchitecture.easUnet(4))
                .setOutput(tuned).optBatchSize(4).optInputSize(SIZE).optScaleJitter(0).optEpochs(1)
                .optInitialWeights(pretrained).build(), new PrintStream(log, true, StandardCharsets.UTF_8))
                .run("synthetic discs", split);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("starting from the weights of " + pretrained), log.toString(StandardCharsets.UTF_8));
        assertTrue(fineTuned.history().get(0).loss() < fromScratch.history().get(0).loss(),
                "the first epoch from trained weights must start lower than the first from random ones: "
                        + fineTuned.history() + " vs " + fromScratch.history());
        assertTrue(String.valueOf(ModelFiles.readCard(tuned).training().get("initialisedFrom")).contains(pretrainedSha));

        IllegalArgumentException wrongWidth = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SegmentationTraining(TrainingOptions.builder().setArchitecture(ModelArchitecture.easUnet(8))
                        .setOutput(dir.resolve("other")).optBatchSize(4).optInputSize(SIZE).optEpochs(1)
                        .optInitialWeights(pretrained).build(), quiet).run("synthetic discs", split));
        assertTrue(wrongWidth.getMessage().contains("--init"), wrongWidth.getMessage());
    }

    @Test
    void aBatchWithANonFiniteLossLeavesTheModelAsItWas() throws Exception {
        int n = 2;
        float[] x = new float[n * SIZE * SIZE];
        float[] y = new float[n * SIZE * SIZE];
        for (int k = 0; k < n; k++) {
            LabelledSlice s = disc("case-" + k, 14 + k, 16, 6);
            for (int i = 0; i < SIZE * SIZE; i++) {
                x[k * SIZE * SIZE + i] = s.hu()[i] / 255f;
                y[k * SIZE * SIZE + i] = s.liverMask()[i];
            }
        }
        TrainingOptions options = TrainingOptions.builder().setArchitecture(ModelArchitecture.easUnet(4))
                .setOutput(Path.of("unused")).optEpochs(2).optBatchSize(n).optInputSize(SIZE).build();
        LearningRateSchedule constant = new LearningRateSchedule(LearningRateSchedule.Kind.CONSTANT, 0.05f, 100, 0, 1f);
        try (ai.djl.Model model = ai.djl.Model.newInstance("t", ai.djl.Device.cpu(), "PyTorch")) {
            model.setBlock(new org.livernode.model.UNetBlock(options.architecture()));
            try (ai.djl.training.Trainer trainer = SegmentationTraining.newTrainer(model, options, constant)) {
                trainer.initialize(new ai.djl.ndarray.types.Shape(n, 1, SIZE, SIZE));
                assertTrue(Float.isFinite(SegmentationTraining.trainStep(trainer, x, y, n, SIZE)));
                List<float[]> before = allParameters(model.getBlock());
                float saved = x[100];
                x[100] = Float.NaN;
                assertTrue(Float.isNaN(SegmentationTraining.trainStep(trainer, x, y, n, SIZE)));
                List<float[]> after = allParameters(model.getBlock());
                for (int i = 0; i < before.size(); i++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(before.get(i), after.get(i), "parameter " + i + " changed");
                }
                x[100] = saved;
                assertTrue(Float.isFinite(SegmentationTraining.trainStep(trainer, x, y, n, SIZE)), "training goes on");
            }
        }
    }

    /** Every parameter of the block, trainable or not (batch-norm running statistics too), as values. */
    private static List<float[]> allParameters(ai.djl.nn.Block block) {
        List<float[]> values = new ArrayList<>();
        block.getParameters().values().forEach(p -> values.add(p.getArray().toFloatArray()));
        return values;
    }
}
