package org.livernode.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.livernode.config.LivernodeConfig;
import org.livernode.model.ModelCard;
import org.livernode.model.ModelFiles;
import org.livernode.training.CaseSplit;
import org.livernode.training.LabelledSlice;
import org.livernode.training.LearningRateSchedule;
import org.livernode.training.LocalHoldout;
import org.livernode.training.LocalStoreSource;
import org.livernode.training.MixedSource;
import org.livernode.training.SegmentationTraining;
import org.livernode.training.TrainingOptions;
import org.livernode.training.TrainingState;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The learning loop in one call ({@code livernode retrain}): the node's corrected cases ({@link LocalStoreSource}
 * over its data directory, less those {@link LocalHoldout} keeps for the gate) and LiTS, mixed by weight
 * ({@link MixedSource}), fine-tune the active model (its architecture, its split seed and fraction, so the LiTS
 * cases the gate scores on stay out of training); the result is registered as a candidate, run through the gate
 * and promoted when it passes.
 */
@ApplicationScoped
public class Retraining {

    @Inject
    LivernodeConfig config;
    @Inject
    ModelPromotion promotion;

    /** What to train and how; null fields take their defaults. */
    public record Plan(String lits, double litsWeight, double localWeight, int epochs, float learningRate, int batchSize,
                       int maxTrainSlices, String version, boolean withoutLits, boolean promote, String by) {
    }

    /** How it ended: the candidate's version (null when nothing was trained), the gate's report and decision. */
    public record Outcome(String candidate, GateReport report, RegistryFile.LogEntry decision, String note) {
    }

    public Outcome run(Plan plan, PrintStream out) throws IOException {
        ModelRegistry registry = promotion.registry();
        ModelRegistry.Active active = registry.active();
        ModelCard card = ModelFiles.readCard(active.dir());
        Path data = config.dataDir().toAbsolutePath().normalize();
        List<LabelledSlice> local;
        try {
            local = new LocalStoreSource(data.toString()).load();
        } catch (IOException e) {
            return new Outcome(null, null, null, "nothing to learn from: " + e.getMessage());
        }
        CaseSplit held = LocalHoldout.split(local);
        out.printf(Locale.ROOT, "local corrections in %s: %d case(s), %d for training, %d held out for the gate%n", data,
                held.trainCases().size() + held.validationCases().size(), held.trainCases().size(),
                held.validationCases().size());
        if (held.trainCases().isEmpty()) {
            return new Outcome(null, null, null, "nothing to learn from: every corrected case is held out for the gate");
        }
        String spec = dataSpec(plan, card, data);
        String version = plan.version() != null ? plan.version()
                : "retrain-" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path run = data.resolve("models").resolve("runs").resolve(version);
        out.printf(Locale.ROOT, "fine-tuning %s (%s) on %s for %d epoch(s) into %s%n", active.version(), active.dir(), spec,
                plan.epochs(), run);
        TrainingOptions options = TrainingOptions.builder().setArchitecture(card.architecture()).setOutput(run)
                .optInputSize(card.inputSize()).optIntensityMapping(card.intensityMapping())
                .optEpochs(plan.epochs()).optBatchSize(plan.batchSize()).optLearningRate(plan.learningRate())
                .optSchedule(LearningRateSchedule.Kind.COSINE).optMaxTrainSlices(plan.maxTrainSlices())
                .optSeed(ValidationSets.number(card, "splitSeed", 42).longValue())
                .optTrainFraction(ValidationSets.number(card, "trainFraction", 0.8).doubleValue())
                .optInitialWeights(active.dir()).build();
        TrainingState state = new SegmentationTraining(options, out).run(MixedSource.parse(spec));
        out.printf(Locale.ROOT, "trained: %d epoch(s), kept epoch %d (validation pooled DSC %.4f)%n", state.epochsDone(),
                state.bestEpoch(), state.bestValDsc());
        String candidate = promotion.candidate(run.toString(), version, plan.by());
        GateReport report = promotion.evaluate(candidate, plan.withoutLits());
        report.print(out);
        RegistryFile.LogEntry decision = plan.promote() ? promotion.decide(report, plan.by()) : null;
        return new Outcome(candidate, report, decision, decision == null ? "evaluated only (--no-promote)" : null);
    }

    /** LiTS (the plan's, else the gate's validation data, else the active card's) and local, with their weights. */
    private String dataSpec(Plan plan, ModelCard card, Path data) {
        String local = LocalStoreSource.SCHEME + ":" + data;
        Optional<String> lits = Optional.ofNullable(plan.lits()).or(() -> config.models().validationData());
        ValidationSets.Set set = ValidationSets.lits(card, lits, config.home());
        if (set.missing() != null) {
            if (!plan.withoutLits()) {
                throw new IllegalArgumentException(set.missing() + "; pass --lits PATH, or --without-lits to train and gate "
                        + "on local cases alone");
            }
            return local;
        }
        // local first: a run capped by --max-train-slices keeps the corrections
        return String.format(Locale.ROOT, "%s@%s,%s@%s", local, plan.localWeight(), set.source(), plan.litsWeight());
    }
}
