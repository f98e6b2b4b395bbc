package org.livernode.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import org.livernode.model.ComputeDevice;
import org.livernode.model.BlockInference;
import org.livernode.model.ModelCard;
import org.livernode.model.ModelComplexity;
import org.livernode.model.ModelFiles;
import org.livernode.model.UNetBlock;
import org.livernode.segmentation.SliceSegmenter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Trains a {@link UNetBlock} on a case-split {@link LabelledSliceSource}. Every epoch: one pass over the
 * shuffled, augmented training slices (SGD, CE + soft Dice over all outputs), validation DSC, a checkpoint in
 * {@code OUTPUT/checkpoint/} (weights + state for --resume), and, when validation pooled DSC improves, the model
 * directory {@code OUTPUT/} (weights + card) is rewritten: it always holds the best epoch so far.
 */
public final class SegmentationTraining {

    static final String CHECKPOINT_DIR = "checkpoint";
    static final String HISTORY_FILE = "training-history.json";
    /** The threshold written into the card, and the one validation scores at. */
    static final float THRESHOLD = 0.5f;

    private final TrainingOptions options;
    private final PrintStream progress;
    /** Taken once at the start: the checkout may move on while a long run goes. */
    private final String codeVersion = CodeVersion.describe();
    /** The model the run started from (--init), for the card; null when it started from random weights. */
    private String initialisedFrom;
    /** The card of that model, whose stages this run's card continues. */
    private ModelCard initialCard;
    /** SHA-256 of the exact slices and split trained and validated on. */
    private String dataSha256;
    /** Several weighted sources, each split on its own and drawn from by weight; null for one source. */
    private MixedSource mix;

    public SegmentationTraining(TrainingOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public TrainingState run(LabelledSliceSource source) throws IOException {
        List<LabelledSlice> slices = source.load();
        mix = source instanceof MixedSource m ? m : null;
        CaseSplit split = mix != null ? mix.split(slices, options.seed(), options.trainFraction())
                : CaseSplit.of(slices, options.seed(), options.trainFraction());
        progress.printf("data %s: %d slices; split by case (seed %d): train %d cases / %d slices, validation %d cases / %d slices%n",
                source.describe(), slices.size(), split.seed(), split.trainCases().size(), split.train().size(),
                split.validationCases().size(), split.validation().size());
        return run(source.describe(), split);
    }

    public TrainingState run(String dataDescription, CaseSplit split) throws IOException {
        int size = options.inputSize();
        int batch = options.batchSize();
        List<LabelledSlice> train = new ArrayList<>(split.train().subList(0, Math.min(split.train().size(), options.maxTrainSlices())));
        int stepsPerEpoch = (train.size() + batch - 1) / batch;
        LearningRateSchedule schedule = new LearningRateSchedule(options.schedule(), options.learningRate(),
                stepsPerEpoch * options.epochs(), stepsPerEpoch * options.warmupEpochs(), 0.01f);
        Path out = options.output();
        Path checkpoint = out.resolve(CHECKPOINT_DIR);
        Files.createDirectories(checkpoint);
        // One seed for everything random: libtorch's generator (the initial weights) here, the data order and
        // augmentation below; libtorch's CPU kernels are repeatable at a fixed thread count, so a run is too.
        Engine.getInstance().setRandomSeed((int) options.seed());
        UNetBlock block = new UNetBlock(options.architecture());
        Device device = ComputeDevice.preferred();
        try (Model model = Model.newInstance(options.architecture().name(), device, "PyTorch")) {
            model.setBlock(block);
            TrainingState state = new TrainingState(0, 0, -1, List.of());
            ModelCard initial = options.initialWeights() == null ? null : ModelFiles.readCard(options.initialWeights());
            if (initial != null && !initial.architecture().equals(options.architecture())) {
                throw new IllegalArgumentException("--init " + options.initialWeights() + " holds " + initial.architecture()
                        + ", not the requested " + options.architecture());
            }
            initialCard = initial;
            dataSha256 = TrainingProvenance.dataSha256(split);
            initialisedFrom = initial == null ? null
                    : initial.name() + " " + initial.version() + " (weights SHA-256 " + initial.weightsSha256() + ")";
            // weights come from the checkpoint when resuming, else from --init, else they stay random
            Path weightsDir = null;
            ModelCard weightsCard = null;
            if (options.resume() && Files.isRegularFile(checkpoint.resolve(TrainingState.FILE_NAME))) {
                state = TrainingState.read(checkpoint);
                weightsDir = checkpoint;
                weightsCard = ModelFiles.readCard(checkpoint);
                progress.printf("resumed after epoch %d (best %d, val DSC %.4f); SGD momentum restarts%n",
                        state.epochsDone(), state.bestEpoch(), state.bestValDsc());
            } else if (initial != null) {
                weightsDir = options.initialWeights();
                weightsCard = initial;
                progress.printf("starting from the weights of %s (%s %s, SHA-256 %s)%n", options.initialWeights(),
                        initial.name(), initial.version(), initial.weightsSha256());
            }
            if (weightsDir != null) {
                // load before the trainer exists: its parameter store keeps the arrays it first sees
                block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(batch, 1, options.cropSize(), options.cropSize()));
                ModelFiles.loadWeights(block, model.getNDManager(), weightsDir, weightsCard);
            }
            try (Trainer trainer = newTrainer(model, options, schedule)) {
                trainer.initialize(new Shape(batch, 1, options.cropSize(), options.cropSize()));
                long parameters = block.trainableParameterCount();
                ModelComplexity complexity = ModelComplexity.of(options.architecture(), size);
                progress.printf("model %s: %,d trainable parameters, %.3f GFLOPs per %dx%d slice; training on %s%n",
                        options.architecture().name(), parameters, complexity.flops() / 1e9, size, size,
                        ComputeDevice.describe(device));
                Random random = new Random(options.seed() + state.epochsDone());
                List<EpochRecord> history = new ArrayList<>(state.history());
                double secondsSoFar = 0;
                int epochsRun = 0;
                int lastEpoch = (int) Math.min(options.epochs(), (long) state.epochsDone() + options.stopAfterEpochs());
                for (int epoch = state.epochsDone() + 1; epoch <= lastEpoch; epoch++) {
                    schedule.setOffset((epoch - 1) * stepsPerEpoch);
                    double learningRate = schedule.getNewValue(1);
                    long t0 = System.nanoTime();
                    double loss = trainEpoch(trainer, train, random);
                    double trainSeconds = (System.nanoTime() - t0) / 1e9;
                    double[] dsc = validate(trainer, block, split.validation());
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    secondsSoFar += seconds;
                    epochsRun++;
                    EpochRecord record = new EpochRecord(epoch, loss, dsc[0], dsc[1], learningRate, seconds,
                            train.size() / trainSeconds);
                    history.add(record);
                    // a tie goes to the later epoch, which has trained longer (a tiny model can sit at DSC 0 for epochs)
                    boolean best = dsc[0] >= state.bestValDsc();
                    state = new TrainingState(epoch, best ? epoch : state.bestEpoch(), best ? dsc[0] : state.bestValDsc(), history);
                    ModelCard card = new TrainingCard(options, codeVersion, initialisedFrom, initialCard, dataSha256, mix)
                            .card(dataDescription, split, train.size(), parameters, complexity, state, record);
                    if (best) {
                        ModelFiles.save(block, card, out);
                    }
                    TrainingState.JSON.writeValue(out.resolve(HISTORY_FILE).toFile(), state);
                    ModelFiles.save(block, card, checkpoint);
                    state.write(checkpoint);
                    double eta = secondsSoFar / epochsRun * (options.epochs() - epoch);
                    progress.println(record.progressLine(options.epochs(), eta, best));
                }
                return state;
            }
        }
    }

    /** SGD with the options' momentum and weight decay, CE + soft Dice over all outputs, on the model's device. */
    static Trainer newTrainer(Model model, TrainingOptions options, LearningRateSchedule schedule) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(new DeepSupervisionLoss(options.sideWeight()))
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(schedule).optMomentum(options.momentum())
                        .optWeightDecays(options.weightDecay()).build())
                .optDevices(new Device[] {model.getNDManager().getDevice()});
        return model.newTrainer(config);
    }

    /**
     * One SGD step on n slices of size x size (input and 0/1 target, row-major); returns the loss before the step and
     * the gradient's global L2 norm before clipping. A non-finite loss is returned without a backward pass or an
     * update, and the batch-norm running statistics its forward pass already moved are put back: one such batch would
     * otherwise turn the model into NaN for good (seen once on the CPU here, in a resumed fine-tuning run: every later
     * epoch had loss NaN and DSC 0). A non-finite gradient is discarded the same way. A gradient whose norm is over
     * maxGradNorm is scaled down to it before the update, so one outlier batch cannot throw the weights far enough to
     * diverge (0 or less: no clipping).
     */
    static StepResult trainStep(Trainer trainer, float[] x, float[] y, int n, int size, float maxGradNorm) {
        List<NDArray> runningStatistics = runningStatistics(trainer);
        List<float[]> saved = runningStatistics.stream().map(NDArray::toFloatArray).toList();
        try (NDManager step = trainer.getManager().newSubManager()) {
            NDArray input = step.create(x, new Shape(n, 1, size, size));
            NDArray label = step.create(y, new Shape(n, 1, size, size));
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(new NDList(input));
                NDArray value = trainer.getLoss().evaluate(new NDList(label), predictions);
                loss = value.getFloat();
                if (!Float.isFinite(loss)) {
                    restore(runningStatistics, saved);
                    return new StepResult(loss, Float.NaN);
                }
                collector.backward(value);
            }
            float gradientNorm = clipGradientNorm(trainer, step, maxGradNorm);
            if (!Float.isFinite(gradientNorm)) {
                restore(runningStatistics, saved);
                return new StepResult(loss, gradientNorm);
            }
            trainer.step();
            return new StepResult(loss, gradientNorm);
        }
    }

    private static void restore(List<NDArray> arrays, List<float[]> values) {
        for (int i = 0; i < arrays.size(); i++) {
            arrays.get(i).set(FloatBuffer.wrap(values.get(i)));
        }
    }

    /** What one step saw: its loss and the global L2 norm of its gradient before clipping. */
    record StepResult(float loss, float gradientNorm) {
        /** False when the step made no update: its loss or its gradient was not finite. */
        boolean updated() {
            return Float.isFinite(loss) && Float.isFinite(gradientNorm);
        }

        boolean clipped(float maxGradNorm) {
            return maxGradNorm > 0 && gradientNorm > maxGradNorm;
        }
    }

    /**
     * Scales all gradients by one factor so that their global L2 norm is at most maxNorm (the gradient keeps its
     * direction, unlike clipping each value), and clears a non-finite gradient; returns the norm before either.
     * A NaN gradient under a finite loss was seen here until backward stopped reading scalars DJL had freed
     * ({@code model.GraphScalars}); whatever the cause, such a batch must make no update.
     */
    private static float clipGradientNorm(Trainer trainer, NDManager step, float maxNorm) {
        List<NDArray> gradients = new ArrayList<>();
        for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
            if (p.getValue().requiresGradient()) {
                NDArray gradient = p.getValue().getArray().getGradient();
                gradient.attach(step); // a view of the parameter's gradient; closing the handle leaves the gradient
                gradients.add(gradient);
            }
        }
        NDList sums = new NDList(gradients.size());
        for (NDArray g : gradients) {
            sums.add(g.square().sum().reshape(1));
        }
        float norm = (float) Math.sqrt(NDArrays.concat(sums).sum().getFloat());
        if (!Float.isFinite(norm)) {
            // backward adds into the gradients and only an update clears them: without this fill every later step
            // would add to the NaN and be skipped too (a fill, because NaN x 0 and NaN - NaN stay NaN)
            for (NDArray g : gradients) {
                g.set(new NDIndex("..."), 0f);
            }
            return norm;
        }
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = maxNorm / norm;
            for (NDArray g : gradients) {
                g.muli(scale);
            }
        }
        return norm;
    }

    /** The batch-norm running means and variances: a forward pass in training mode updates them in place. */
    private static List<NDArray> runningStatistics(Trainer trainer) {
        List<NDArray> arrays = new ArrayList<>();
        for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                arrays.add(p.getValue().getArray());
            }
        }
        return arrays;
    }

    private double trainEpoch(Trainer trainer, List<LabelledSlice> train, Random random) {
        int size = options.cropSize();
        int pixels = size * size;
        SliceSampler sampler = new SliceSampler(options.inputSize(), options.intensityMapping(), options.scaleJitter(), size,
                options.intensityAugmentation());
        List<LabelledSlice> order;
        if (mix == null) {
            order = new ArrayList<>(train);
            Collections.shuffle(order, random);
        } else {
            order = mix.epochOrder(train, random);
        }
        double lossSum = 0;
        int steps = 0;
        int skipped = 0;
        int clipped = 0;
        List<Float> gradientNorms = new ArrayList<>();
        for (int start = 0; start < order.size(); start += options.batchSize()) {
            int n = Math.min(options.batchSize(), order.size() - start);
            if (n < 2 && order.size() > 1) {
                break; // batch norm needs more than one sample
            }
            float[] x = new float[n * pixels];
            float[] y = new float[n * pixels];
            for (int k = 0; k < n; k++) {
                sampler.sampleAugmented(order.get(start + k), x, y, k * pixels, random);
            }
            StepResult result = trainStep(trainer, x, y, n, size, options.maxGradientNorm());
            if (result.updated()) {
                lossSum += result.loss();
                steps++;
                gradientNorms.add(result.gradientNorm());
                clipped += result.clipped(options.maxGradientNorm()) ? 1 : 0;
            } else {
                skipped++;
            }
        }
        if (skipped > 0) {
            progress.printf("  skipped %d of %d batches with a non-finite loss or gradient (no update made from them)%n",
                    skipped, skipped + steps);
        }
        if (clipped > 0) {
            Collections.sort(gradientNorms);
            progress.printf(java.util.Locale.ROOT, "  clipped the gradient of %d of %d batches to norm %s (median norm %.2f, largest %.2f)%n",
                    clipped, steps, options.maxGradientNorm(), gradientNorms.get(gradientNorms.size() / 2),
                    gradientNorms.get(gradientNorms.size() - 1));
        }
        if (steps == 0) {
            throw new IllegalStateException("every batch of the epoch gave a non-finite loss or gradient: the weights diverged; "
                    + "start again from the best model with --init " + options.output() + " and a lower --lr");
        }
        return lossSum / steps;
    }

    /**
     * Validation through the node's path ({@link Evaluation}, {@link SliceSegmenter}) at the card's threshold.
     * @return {pooled DSC, mean per-slice DSC (both empty = 1)}
     */
    private double[] validate(Trainer trainer, UNetBlock block, List<LabelledSlice> validation) {
        BlockInference network = new BlockInference(block, trainer.getManager(), options.inputSize(),
                options.intensityMapping(), options.batchSize(), false);
        Evaluation.Summary summary = Evaluation.run(new SliceSegmenter(network, THRESHOLD), validation);
        return new double[] {summary.pooledDsc(), summary.meanSliceDsc()};
    }
}
