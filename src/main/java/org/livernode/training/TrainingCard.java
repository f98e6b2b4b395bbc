package org.livernode.training;

import org.livernode.model.ModelCard;
import org.livernode.model.ModelComplexity;

import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The model card a training run writes with its best epoch: data, split, sources, loss, optimiser, schedule,
 * augmentation, the stages it continues, and the kept epoch's figures.
 *
 * @param initialisedFrom the model the run started from (--init), null from random weights
 * @param initialCard that model's card, whose stages this card continues
 * @param dataSha256 SHA-256 of the exact slices and split trained and validated on
 * @param mix several weighted sources, null for one source
 */
record TrainingCard(TrainingOptions options, String codeVersion, String initialisedFrom, ModelCard initialCard,
                    String dataSha256, MixedSource mix) {

    ModelCard card(String data, CaseSplit split, int trainSlices, long parameters, ModelComplexity complexity,
                           TrainingState state, EpochRecord last) {
        EpochRecord kept = state.history().stream().filter(r -> r.epoch() == state.bestEpoch()).findFirst().orElse(last);
        Map<String, Object> training = training(data, split, trainSlices, state,
                String.format(Locale.ROOT, "epoch %d, validation pooled DSC %.4f", kept.epoch(), kept.valDscPooled()));
        training.put("keptEpoch", kept.epoch());
        training.put("selection", "epoch with the best validation pooled DSC");
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("val_dsc_pooled", kept.valDscPooled());
        metrics.put("val_dsc_mean_slice", kept.valDscMeanSlice());
        metrics.put("train_loss", kept.loss());
        return card(training, metrics, "epoch-" + kept.epoch(), parameters, complexity);
    }

    /** The card of the mean of the weights of several epochs ({@link WeightAverage}), validated as {@code averaged}. */
    ModelCard averagedCard(String data, CaseSplit split, int trainSlices, long parameters, ModelComplexity complexity,
                           TrainingState state, WeightAverage average, double valDscPooled, double valDscMeanSlice) {
        String epochs = "the mean of the weights of epochs " + average.firstEpoch() + "-" + average.lastEpoch();
        Map<String, Object> training = training(data, split, trainSlices, state,
                String.format(Locale.ROOT, "%s, validation pooled DSC %.4f", epochs, valDscPooled));
        training.put("averagedEpochs", List.of(average.firstEpoch(), average.lastEpoch()));
        training.put("selection", epochs + " (stochastic weight averaging, --average-from " + options.averageFromEpoch()
                + "), batch-norm statistics measured again on the training slices");
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("val_dsc_pooled", valDscPooled);
        metrics.put("val_dsc_mean_slice", valDscMeanSlice);
        return card(training, metrics, "swa-" + average.firstEpoch() + "-" + average.lastEpoch(), parameters, complexity);
    }

    private Map<String, Object> training(String data, CaseSplit split, int trainSlices, TrainingState state,
                                         String kept) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", data);
        training.put("split", "by case (volume), seed " + split.seed() + ", train fraction " + split.trainFraction());
        training.put("splitSeed", split.seed());
        training.put("trainFraction", split.trainFraction());
        training.put("trainCases", split.trainCases().size());
        training.put("trainSlices", trainSlices);
        training.put("validationCases", split.validationCases());
        training.put("validationSlices", split.validation().size());
        if (mix != null) {
            training.put("sources", mix.cardEntries(split));
        }
        training.put("loss", "binary cross-entropy + soft Dice on the fused output, + " + options.sideWeight()
                + " x the same on each deep-supervision side output");
        training.put("optimizer", String.format(Locale.ROOT, "SGD lr %s momentum %s weight decay %s%s",
                options.learningRate(), options.momentum(), options.weightDecay(), options.maxGradientNorm() > 0
                        ? ", gradient clipped to global L2 norm " + options.maxGradientNorm() : ""));
        training.put("schedule", options.schedule().name().toLowerCase() + ", warm-up " + options.warmupEpochs() + " epoch(s)");
        training.put("batchSize", options.batchSize());
        training.put("seed", options.seed() + " (split, initial weights, data order, augmentation)");
        if (initialisedFrom != null) {
            training.put("initialisedFrom", initialisedFrom);
        }
        training.put("augmentation", "random one of 8 flips/90-degree rotations; zoom +-" + options.scaleJitter()
                + "; random " + options.cropSize() + "x" + options.cropSize() + " crop of the " + options.inputSize() + "x" + options.inputSize() + " frame"
                + (options.intensityAugmentation().enabled() ? "; intensity (HU scale/shift, gamma, noise, blur) each with p "
                + options.intensityAugmentation().probability() : ""));
        training.put("epochsPlanned", options.epochs());
        training.put("epochsDone", state.epochsDone());
        training.put("dataSha256", dataSha256);
        training.put("stages", TrainingProvenance.stages(initialCard, initialisedFrom, options, kept, codeVersion));
        return training;
    }

    private ModelCard card(Map<String, Object> training, Map<String, Double> metrics, String version, long parameters,
                           ModelComplexity complexity) {
        String name = options.output().getFileName() == null ? "model" : options.output().getFileName().toString();
        return new ModelCard(name, version, options.architecture(), parameters,
                complexity.multiplyAccumulates(), complexity.flops(), options.inputSize(), options.intensityMapping(),
                SegmentationTraining.THRESHOLD, false, training, metrics, Instant.now().toString(), codeVersion, null, null);
    }
}
