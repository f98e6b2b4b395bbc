package org.livernode.training;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.model.ModelArchitecture;
import org.livernode.model.ModelCard;
import org.livernode.model.ModelFiles;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole (tiny) training run on synthetic discs: model directory, card, checkpoint and --resume. */
class TrainingRunTest {

    private static final int SIZE = 32;

    private static LabelledSlice disc(String caseId, int cx, int cy, int radius) {
        return disc(caseId, SIZE, cx, cy, radius);
    }

    /** A size x size slice of 10 HU with a disc of 120 HU labelled liver. */
    static LabelledSlice disc(String caseId, int size, int cx, int cy, int radius) {
        float[] hu = new float[size * size];
        byte[] mask = new byte[size * size];
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                boolean in = (r - cy) * (r - cy) + (c - cx) * (c - cx) <= radius * radius;
                hu[r * size + c] = in ? 120 : 10;
                mask[r * size + c] = (byte) (in ? 1 : 0);
            }
        }
        return new LabelledSlice(caseId, size, size, hu, mask, 1, 1);
    }

    /** Two discs per case, five cases, split 80/20 by case. */
    static CaseSplit discsSplit() {
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
        int epochs = 8;
        // lr 0.1 in batches of 2: within a few epochs the loss is well below that of random weights
        TrainingOptions.Builder options = TrainingOptions.builder().setArchitecture(ModelArchitecture.easUnet(4))
                .setOutput(out).optBatchSize(2).optInputSize(SIZE).optScaleJitter(0).optLearningRate(0.1f);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingState first = new SegmentationTraining(options.optEpochs(epochs).build(), new PrintStream(log, true, StandardCharsets.UTF_8))
                .run("synthetic discs", split);
        assertEquals(epochs, first.epochsDone());
        assertEquals(epochs, first.history().size());
        // the last epoch with the highest validation DSC (a tie goes to the epoch that trained longer)
        double bestDsc = first.history().stream().mapToDouble(EpochRecord::valDscPooled).max().orElseThrow();
        EpochRecord best = first.history().stream().filter(r -> r.valDscPooled() == bestDsc)
                .reduce((earlier, later) -> later).orElseThrow();
        assertEquals(best.epoch(), first.bestEpoch());
        ModelCard card = ModelFiles.readCard(out);
        assertEquals(ModelFiles.sha256(out.resolve(ModelFiles.WEIGHTS_FILE)), card.weightsSha256());
        assertEquals(SIZE, card.inputSize());
        assertEquals("synthetic discs", card.training().get("data"));
        assertTrue(card.metrics().containsKey("val_dsc_pooled"));
        assertTrue(Files.isRegularFile(out.resolve("checkpoint/state.json")));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("epoch " + epochs + "/" + epochs), log.toString(StandardCharsets.UTF_8));
        String device = ai.djl.engine.Engine.getInstance().getGpuCount() > 0 ? "gpu(0)" : "cpu (DJL's PyTorch engine sees no GPU)";
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("; training on " + device), log.toString(StandardCharsets.UTF_8));
        EpochRecord last = first.history().get(epochs - 1);

        // One more epoch at an lr so small the weights barely move: its training loss is the checkpoint weights' loss.
        // (Not its validation DSC: batch-norm running statistics still move, and this little model's DSC with them.)
        log.reset();
        String firstWeights = ModelFiles.sha256(out.resolve("checkpoint").resolve(ModelFiles.WEIGHTS_FILE));
        TrainingOptions.Builder still = options.optLearningRate(1e-6f).optEpochs(epochs + 1);
        TrainingState resumed = new SegmentationTraining(still.optResume(true).build(),
                new PrintStream(log, true, StandardCharsets.UTF_8)).run("synthetic discs", split);
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("resumed after epoch " + epochs) && text.contains("epoch " + (epochs + 1) + "/" + (epochs + 1)), text);
        assertEquals(1, text.lines().filter(l -> l.startsWith("epoch ")).count(), "only the new epoch is run: " + text);
        assertEquals(epochs + 1, resumed.epochsDone());
        assertEquals(epochs + 1, resumed.history().size());
        assertEquals(first.history(), resumed.history().subList(0, epochs), "the earlier epochs come from the checkpoint as they were");
        for (int k = 0; k <= epochs; k++) {
            assertEquals(k + 1, resumed.history().get(k).epoch(), "epoch numbering continues");
        }
        assertTrue(!firstWeights.equals(ModelFiles.sha256(out.resolve("checkpoint").resolve(ModelFiles.WEIGHTS_FILE))),
                "the resumed epoch must train the loaded weights");
        EpochRecord next = resumed.history().get(epochs);

        // Without --resume the same lr starts from random weights: the check below must tell them apart.
        TrainingState fresh = new SegmentationTraining(still.optResume(false).optStopAfterEpochs(1).setOutput(out.resolve("fresh")).build(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run("synthetic discs", split);
        double gap = fresh.history().get(0).loss() - last.loss();
        System.out.println("trained losses " + first.history().stream().map(EpochRecord::loss).toList() + ", resumed "
                + next.loss() + ", random weights " + fresh.history().get(0).loss());
        assertTrue(gap > 0.5, "training must take the loss well below that of random weights: " + fresh.history() + " vs " + last);
        assertEquals(last.loss(), next.loss(), gap / 4, "the resumed epoch starts from the checkpoint's weights: " + resumed.history());
    }

    @Test
    void aRunIsRepeatableFromItsSeed(@TempDir Path dir) throws Exception {
        CaseSplit split = discsSplit();
        List<List<EpochRecord>> histories = new ArrayList<>();
        List<String> weights = new ArrayList<>();
        for (String run : List.of("a", "b")) {
            TrainingState state = new SegmentationTraining(TrainingOptions.builder().setArchitecture(ModelArchitecture.easUnet(4))
                    .setOutput(dir.resolve(run)).optBatchSize(2).optInputSize(SIZE).optScaleJitter(0.1).optLearningRate(0.1f)
                    .optEpochs(3).build(), new PrintStream(OutputStream.nullOutputStream())).run("synthetic discs", split);
            histories.add(state.history());
            weights.add(ModelFiles.sha256(dir.resolve(run).resolve("checkpoint").resolve(ModelFiles.WEIGHTS_FILE)));
            System.out.println("repeatable run " + run + ": losses " + state.history().stream().map(EpochRecord::loss).toList()
                    + ", weights " + weights.get(weights.size() - 1));
        }
        // The same initial weights, data order and augmentation give the same losses, DSCs and weights, bit for bit. (Runs
        // used to part after the first garbage collection, and now and then skip a batch for a NaN gradient: backward read
        // numbers DJL had freed; see GraphScalars.)
        for (int e = 0; e < 3; e++) {
            assertEquals(histories.get(0).get(e).loss(), histories.get(1).get(e).loss(), 0, "epoch " + (e + 1));
            assertEquals(histories.get(0).get(e).valDscPooled(), histories.get(1).get(e).valDscPooled(), 0, "epoch " + (e + 1));
        }
        assertEquals(weights.get(0), weights.get(1));
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
        // provenance: the data and split by fingerprint, and every stage from random weights on, each with its code
        Map<String, Object> training = ModelFiles.readCard(tuned).training();
        assertEquals(ModelFiles.readCard(pretrained).training().get("dataSha256"), training.get("dataSha256"));
        assertTrue(String.valueOf(training.get("dataSha256")).matches("[0-9a-f]{64}"), training.toString());
        List<?> stages = (List<?>) training.get("stages");
        assertEquals(2, stages.size(), training.toString());
        assertTrue(stages.get(0).toString().startsWith("1: from random weights, 12 epochs planned"), stages.toString());
        assertTrue(stages.get(1).toString().startsWith("2: from ") && stages.get(1).toString().contains(pretrainedSha)
                && stages.get(1).toString().contains("code " + ModelFiles.readCard(tuned).codeVersion()), stages.toString());

        IllegalArgumentException wrongWidth = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SegmentationTraining(TrainingOptions.builder().setArchitecture(ModelArchitecture.easUnet(8))
                        .setOutput(dir.resolve("other")).optBatchSize(4).optInputSize(SIZE).optEpochs(1)
                        .optInitialWeights(pretrained).build(), quiet).run("synthetic discs", split));
        assertTrue(wrongWidth.getMessage().contains("--init"), wrongWidth.getMessage());
    }

    /** Input (grey / 255) and target of n discs, slice after slice, for single training steps. */
    private static float[][] discBatch(int n) {
        float[] x = new float[n * SIZE * SIZE];
        float[] y = new float[n * SIZE * SIZE];
        for (int k = 0; k < n; k++) {
            LabelledSlice s = disc("case-" + k, 14 + k, 16, 6);
            for (int i = 0; i < SIZE * SIZE; i++) {
                x[k * SIZE * SIZE + i] = s.hu()[i] / 255f;
                y[k * SIZE * SIZE + i] = s.liverMask()[i];
            }
        }
        return new float[][] {x, y};
    }

    /** A fresh EAS U-Net (width 4) with an SGD trainer at a constant learning rate, for single steps on SIZE slices. */
    private static ai.djl.training.Trainer newTrainer(ai.djl.Model model, int n, float learningRate, float weightDecay) {
        TrainingOptions options = TrainingOptions.builder().setArchitecture(ModelArchitecture.easUnet(4))
                .setOutput(Path.of("unused")).optEpochs(2).optBatchSize(n).optInputSize(SIZE).optWeightDecay(weightDecay).build();
        model.setBlock(new org.livernode.model.UNetBlock(options.architecture()));
        ai.djl.training.Trainer trainer = TrainingStep.newTrainer(model, options,
                new LearningRateSchedule(LearningRateSchedule.Kind.CONSTANT, learningRate, 100, 0, 1f));
        trainer.initialize(new ai.djl.ndarray.types.Shape(n, 1, SIZE, SIZE));
        return trainer;
    }

    @Test
    void aBatchWithANonFiniteLossLeavesTheModelAsItWas() throws Exception {
        int n = 2;
        float[][] batch = discBatch(n);
        float[] x = batch[0];
        float[] y = batch[1];
        try (ai.djl.Model model = ai.djl.Model.newInstance("t", ai.djl.Device.cpu(), "PyTorch");
             ai.djl.training.Trainer trainer = newTrainer(model, n, 0.01f, 1e-4f)) {
            assertTrue(TrainingStep.run(trainer, x, y, n, SIZE, 0).updated());
            List<float[]> before = allParameters(model.getBlock());
            float saved = x[100];
            x[100] = Float.NaN;
            TrainingStep.Result poisoned = TrainingStep.run(trainer, x, y, n, SIZE, 0);
            assertTrue(Float.isNaN(poisoned.loss()) && !poisoned.updated(), poisoned.toString());
            List<float[]> after = allParameters(model.getBlock());
            for (int i = 0; i < before.size(); i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(before.get(i), after.get(i), "parameter " + i + " changed");
            }
            x[100] = saved;
            TrainingStep.Result next = TrainingStep.run(trainer, x, y, n, SIZE, 0);
            assertTrue(next.updated(), "training goes on: " + next);
        }
    }

    @Test
    void aNonFiniteGradientUnderAFiniteLossMakesNoUpdateAndDoesNotStick() throws Exception {
        int n = 2;
        float[][] batch = discBatch(n);
        try (ai.djl.Model model = ai.djl.Model.newInstance("t", ai.djl.Device.cpu(), "PyTorch");
             ai.djl.training.Trainer trainer = newTrainer(model, n, 0.01f, 1e-4f)) {
            assertTrue(TrainingStep.run(trainer, batch[0], batch[1], n, SIZE, 0).updated());
            // what libtorch's CPU backward once did here: one NaN in one gradient, the loss finite; backward adds to it
            ai.djl.nn.Parameter first = model.getBlock().getParameters().values().stream()
                    .filter(ai.djl.nn.Parameter::requiresGradient).findFirst().orElseThrow();
            try (ai.djl.ndarray.NDArray gradient = first.getArray().getGradient()) {
                gradient.set(new ai.djl.ndarray.index.NDIndex("..."), Float.NaN);
            }
            List<float[]> before = allParameters(model.getBlock());
            TrainingStep.Result poisoned = TrainingStep.run(trainer, batch[0], batch[1], n, SIZE, 12);
            assertTrue(Float.isFinite(poisoned.loss()) && Float.isNaN(poisoned.gradientNorm()) && !poisoned.updated(), poisoned.toString());
            List<float[]> after = allParameters(model.getBlock());
            for (int i = 0; i < before.size(); i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(before.get(i), after.get(i), "parameter " + i + " changed");
            }
            TrainingStep.Result next = TrainingStep.run(trainer, batch[0], batch[1], n, SIZE, 12);
            assertTrue(next.updated(), "the NaN must not stay in the gradient: " + next);
        }
    }

    @Test
    void clippingScalesTheUpdateToTheMaximumGradientNorm() throws Exception {
        int n = 2;
        float[][] batch = discBatch(n);
        float learningRate = 0.01f;
        float maxNorm = 1e-3f;
        for (boolean clip : new boolean[] {false, true}) {
            try (ai.djl.Model model = ai.djl.Model.newInstance("t", ai.djl.Device.cpu(), "PyTorch");
                 ai.djl.training.Trainer trainer = newTrainer(model, n, learningRate, 0)) {
                List<float[]> before = trainableParameters(model.getBlock());
                TrainingStep.Result step = TrainingStep.run(trainer, batch[0], batch[1], n, SIZE, clip ? maxNorm : 0);
                assertTrue(step.updated() && step.gradientNorm() > 100 * maxNorm, step.toString());
                assertEquals(clip, step.clipped(clip ? maxNorm : 0));
                List<float[]> after = trainableParameters(model.getBlock());
                double squares = 0;
                for (int i = 0; i < before.size(); i++) {
                    for (int j = 0; j < before.get(i).length; j++) {
                        double d = after.get(i)[j] - before.get(i)[j];
                        squares += d * d;
                    }
                }
                // the first SGD step (no momentum yet, no weight decay) moves the weights by lr x the gradient
                double expected = learningRate * (clip ? maxNorm : step.gradientNorm());
                assertEquals(expected, Math.sqrt(squares), 0.02 * expected, (clip ? "clipped" : "unclipped") + " step " + step);
            }
        }
    }

    private static List<float[]> trainableParameters(ai.djl.nn.Block block) {
        List<float[]> values = new ArrayList<>();
        block.getParameters().values().stream().filter(ai.djl.nn.Parameter::requiresGradient)
                .forEach(p -> values.add(p.getArray().toFloatArray()));
        return values;
    }

    /** Every parameter of the block, trainable or not (batch-norm running statistics too), as values. */
    private static List<float[]> allParameters(ai.djl.nn.Block block) {
        List<float[]> values = new ArrayList<>();
        block.getParameters().values().forEach(p -> values.add(p.getArray().toFloatArray()));
        return values;
    }
}
