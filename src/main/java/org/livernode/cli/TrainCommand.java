package org.livernode.cli;

import org.livernode.model.ModelArchitecture;
import jakarta.inject.Inject;
import org.livernode.segmentation.LiverModel;
import org.livernode.training.MixedSource;
import org.livernode.training.LabelledSliceSource;
import org.livernode.training.LearningRateSchedule;
import org.livernode.training.SegmentationTraining;
import org.livernode.training.IntensityAugmentation;
import org.livernode.training.TrainingOptions;
import org.livernode.training.TrainingState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code livernode train}: trains the EAS U-Net (or the plain U-Net baseline) and writes a model directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a liver segmentation model; OUTPUT always holds the best epoch so far (weights + model-card.json).")
public class TrainCommand implements Callable<Integer> {

    /** Exit code of a run ended by --stop-after before its last epoch (continue it with --resume). */
    static final int STOPPED_BEFORE_THE_LAST_EPOCH = 3;

    @Inject
    LiverModel liverModel;

    @Option(names = "--data", required = true, description = "Training data: lits-slices:PATH, lits:PATH[?min-liver-fraction=0.015][&size=256] (LiTS NIfTI volumes) or local[:DATA_DIR] (stored CT with radiologists\' SEGs); several sources with weights: lits-slices:PATH@0.7,local@0.3 (each split by case on its own; a sample is drawn from a source with the probability of its weight; a weight is the last @number of an item)")
    String data;

    @Option(names = "--arch", defaultValue = "eas", description = "eas (EAS U-Net) or unet (plain U-Net baseline); default ${DEFAULT-VALUE}")
    String arch;

    @Option(names = "--base-width", defaultValue = "16", description = "Channels of the first level; default ${DEFAULT-VALUE}")
    int baseWidth;

    @Option(names = "--epochs", defaultValue = "50", description = "Epochs; default ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "8", description = "Slices per step; default ${DEFAULT-VALUE} (paper: 32)")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.01", description = "SGD learning rate; default ${DEFAULT-VALUE}")
    float learningRate;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum; default ${DEFAULT-VALUE}")
    float momentum;

    @Option(names = "--weight-decay", defaultValue = "1e-4", description = "SGD weight decay; default ${DEFAULT-VALUE}")
    float weightDecay;

    @Option(names = "--max-grad-norm", defaultValue = "" + TrainingOptions.DEFAULT_MAX_GRADIENT_NORM,
            description = "Scale a step's gradient down to this global L2 norm when it is larger (0 = off); default ${DEFAULT-VALUE}")
    float maxGradNorm;

    @Option(names = "--schedule", defaultValue = "cosine", description = "Learning-rate schedule: constant, cosine or poly; default ${DEFAULT-VALUE}")
    String schedule;

    @Option(names = "--warmup-epochs", defaultValue = "-1", description = "Linear learning-rate warm-up epochs; default 1 (0 for a single epoch)")
    int warmupEpochs;

    @Option(names = "--side-weight", defaultValue = "0.5", description = "Loss weight of each deep-supervision side output; default ${DEFAULT-VALUE}")
    float sideWeight;

    @Option(names = "--scale-jitter", defaultValue = "0.15", description = "Random zoom +-fraction (0 = off); default ${DEFAULT-VALUE}")
    double scaleJitter;

    @Option(names = "--intensity-augmentation", defaultValue = "0", description = "Probability of each random intensity change of a sample (HU scale/shift, gamma, noise, blur; 0 = off); default ${DEFAULT-VALUE}")
    double intensityAugmentation;

    @Option(names = "--crop-size", defaultValue = "256", description = "Side of random training crops of the 256x256 frame (256 = no crop); default ${DEFAULT-VALUE}")
    int cropSize;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split by case, the initial weights, the data order and the augmentation (a run is repeatable); default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--train-fraction", defaultValue = "0.8", description = "Fraction of cases used to train; default ${DEFAULT-VALUE}")
    double trainFraction;

    @Option(names = "--output", required = true, description = "Model directory to write (e.g. models/NAME)")
    Path output;

    @Option(names = "--resume", description = "Continue from OUTPUT/checkpoint")
    boolean resume;

    @Option(names = "--init", paramLabel = "MODEL_DIR", description = "Start from the weights of this model directory (same --arch and --base-width), e.g. models/eas-unet-lits, or 'active' for the node's model (the registry's active version, else livernode.inference.model-dir)")
    Path init;

    @Option(names = "--stop-after", description = "End this process after N epochs with exit code 3 (continue with --resume)")
    Integer stopAfter;

    @Option(names = "--average-from", defaultValue = "0", paramLabel = "EPOCH", description = "Also write OUTPUT/averaged: the mean of the weights of epochs EPOCH to the last (stochastic weight averaging; the cost of one model at inference), batch-norm statistics measured again on the training slices; 0 = off; default ${DEFAULT-VALUE}")
    int averageFrom;

    @Override
    public Integer call() {
        TrainingOptions options;
        LabelledSliceSource source;
        try {
            LearningRateSchedule.Kind kind;
            try {
                kind = LearningRateSchedule.Kind.valueOf(schedule.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--schedule must be constant, cosine or poly, found " + schedule);
            }
            options = TrainingOptions.builder().setArchitecture(ModelArchitecture.forCliName(arch, baseWidth))
                    .setOutput(output).optEpochs(epochs).optBatchSize(batchSize).optLearningRate(learningRate)
                    .optMomentum(momentum).optWeightDecay(weightDecay).optSchedule(kind).optWarmupEpochs(warmupEpochs)
                    .optSideWeight(sideWeight).optScaleJitter(scaleJitter)
                    .optIntensityAugmentation(new IntensityAugmentation(intensityAugmentation)).optSeed(seed).optTrainFraction(trainFraction)
                    .optResume(resume).optCropSize(cropSize).optInitialWeights(initialWeights()).optMaxGradientNorm(maxGradNorm)
                    .optStopAfterEpochs(stopAfter == null ? Integer.MAX_VALUE : stopAfter).optAverageFromEpoch(averageFrom).build();
            source = MixedSource.parse(data);
        } catch (IllegalArgumentException e) {
            System.err.println("livernode train: " + e.getMessage());
            return 2;
        }
        try {
            TrainingState state = new SegmentationTraining(options, System.out).run(source);
            boolean done = state.epochsDone() >= epochs;
            System.out.printf(Locale.ROOT, "%s: %d epochs, best epoch %d with validation pooled DSC %.4f; model in %s%n",
                    done ? "done" : "stopped", state.epochsDone(), state.bestEpoch(), state.bestValDsc(), output.toAbsolutePath());
            return done ? 0 : STOPPED_BEFORE_THE_LAST_EPOCH;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("livernode train: " + e.getMessage());
            return 2;
        }
    }

    /** {@code --init active}: the model the node runs (the registry's active one), unless a folder is named so. */
    private Path initialWeights() {
        if (init == null || !init.toString().equals("active") || Files.exists(init)) {
            return init;
        }
        return liverModel.modelDir();
    }
}
