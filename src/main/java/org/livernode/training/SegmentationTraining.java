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
    /** Where a run with --average-from writes the mean of its last epochs' weights. */
    static final String AVERAGED_DIR = "averaged";
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
            try (Trainer trainer = TrainingStep.newTrainer(model, options, schedule)) {
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
                WeightAverage average = options.averaging() ? new WeightAverage() : null;
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
                    if (average != null && epoch >= options.averageFromEpoch()) {
                        average.add(block, epoch);
                    }
                }
                if (average != null) {
                    writeAverage(average, trainer, block, split, train, dataDescription, parameters, complexity, state);
                }
                return state;
            }
        }
    }

    /**
     * Writes {@code OUTPUT/averaged/}: the mean of the averaged epochs' weights with batch norms measured again,
     * validated as an epoch is, with a card of its own. The block holds the mean afterwards.
     */
    private void writeAverage(WeightAverage average, Trainer trainer, UNetBlock block, CaseSplit split,
                              List<LabelledSlice> train, String dataDescription, long parameters,
                              ModelComplexity complexity, TrainingState state) throws IOException {
        long t0 = System.nanoTime();
        average.applyTo(block);
        Random random = new Random(options.seed() + options.epochs() + 1);
        List<LabelledSlice> order = new ArrayList<>(train);
        Collections.shuffle(order, random);
        WeightAverage.measureBatchNorm(trainer, order, sampler(), options.batchSize(), random);
        double[] dsc = validate(trainer, block, split.validation());
        ModelCard card = new TrainingCard(options, codeVersion, initialisedFrom, initialCard, dataSha256, mix)
                .averagedCard(dataDescription, split, train.size(), parameters, complexity, state, average, dsc[0], dsc[1]);
        Path dir = options.output().resolve(AVERAGED_DIR);
        ModelFiles.save(block, card, dir);
        progress.printf(java.util.Locale.ROOT, "mean of the weights of epochs %d-%d (%d epochs): validation pooled DSC %.4f,"
                        + " mean slice DSC %.4f (best single epoch %d: %.4f), %.0f s; model in %s%n", average.firstEpoch(),
                average.lastEpoch(), average.count(), dsc[0], dsc[1], state.bestEpoch(), state.bestValDsc(),
                (System.nanoTime() - t0) / 1e9, dir);
    }

    private SliceSampler sampler() {
        return new SliceSampler(options.inputSize(), options.intensityMapping(), options.scaleJitter(), options.cropSize(),
                options.intensityAugmentation());
    }

    private double trainEpoch(Trainer trainer, List<LabelledSlice> train, Random random) {
        int size = options.cropSize();
        SliceSampler sampler = sampler();
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
            float[][] batch = sampler.augmentedBatch(order, start, n, random);
            TrainingStep.Result result = TrainingStep.run(trainer, batch[0], batch[1], n, size, options.maxGradientNorm());
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
