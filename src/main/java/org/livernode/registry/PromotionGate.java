package org.livernode.registry;

import org.livernode.model.InferenceEngine;
import org.livernode.model.LiverPredictor;
import org.livernode.segmentation.SliceSegmenter;
import org.livernode.training.Evaluation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Scores a candidate and the active model on the same validation sets through the node's one inference path
 * ({@link Evaluation} over {@link SliceSegmenter}, each model at its card's threshold unless the node's setting
 * overrides it) and decides: the candidate passes when, on every set with cases, its per-case mean DSC is not
 * below the active model's by more than {@code margin}. A set that could not be read refuses the candidate unless
 * it was waived (the report's flags say so).
 */
public final class PromotionGate {

    /** The node's inference settings the models are run with. */
    public record Settings(double margin, Optional<Double> threshold, int batchSize, boolean testTimeAugmentation,
                           InferenceEngine engine) {
        public Settings(double margin, Optional<Double> threshold, int batchSize, boolean testTimeAugmentation) {
            this(margin, threshold, batchSize, testTimeAugmentation, InferenceEngine.DEFAULT);
        }
    }

    /** A model to score: its version and folder. */
    public record Model(String version, Path dir) {
    }

    private final Settings settings;

    public PromotionGate(Settings settings) {
        this.settings = settings;
    }

    /** @param waived names of sets whose absence does not refuse (e.g. "lits" with --without-lits) */
    public GateReport evaluate(Model active, Model candidate, List<ValidationSets.Set> sets, List<String> waived)
            throws IOException {
        List<Evaluation.Summary> activeScores = score(active, sets);
        List<Evaluation.Summary> candidateScores = score(candidate, sets);
        List<GateReport.SetFigures> figures = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        int compared = 0;
        for (int i = 0; i < sets.size(); i++) {
            ValidationSets.Set set = sets.get(i);
            if (set.missing() != null) {
                figures.add(new GateReport.SetFigures(set.name(), set.source(), 0, 0, null, null, null, null, set.missing()));
                if (waived.contains(set.name())) {
                    flags.add("without-" + set.name() + ": " + set.missing());
                } else {
                    refusals.add(set.missing());
                }
                continue;
            }
            Evaluation.Summary a = activeScores.get(i);
            Evaluation.Summary c = candidateScores.get(i);
            if (a == null) {
                figures.add(new GateReport.SetFigures(set.name(), set.source(), 0, 0, null, null, null, null,
                        "no case: not compared" + (set.note() == null ? "" : "; " + set.note())));
                continue;
            }
            compared++;
            double am = a.meanOverCases().get("dsc");
            double cm = c.meanOverCases().get("dsc");
            figures.add(new GateReport.SetFigures(set.name(), set.source(), a.cases().size(), a.slices(), am,
                    a.pooledDsc(), cm, c.pooledDsc(), set.note()));
            if (!(cm >= am - settings.margin())) {
                refusals.add(String.format(Locale.ROOT, "on %s the candidate's per-case mean DSC %.4f is below the active's %.4f "
                        + "by %.4f, more than the margin %.4f", set.name(), cm, am, am - cm, settings.margin()));
            }
        }
        if (compared == 0 && refusals.isEmpty()) {
            refusals.add("no validation set has a case: nothing shows the candidate is not worse");
        }
        if (candidate.version().equals(active.version())) {
            refusals.add("the candidate is the active version " + active.version());
        }
        boolean passed = refusals.isEmpty();
        String reason = passed ? String.format(Locale.ROOT, "not worse than %s by more than %.4f on any set with cases",
                active.version(), settings.margin()) : String.join("; ", refusals);
        return new GateReport(active.version(), candidate.version(), settings.margin(), figures, passed, reason, flags);
    }

    /** The model's summary on each set (null for a set without slices), loading it once. */
    private List<Evaluation.Summary> score(Model model, List<ValidationSets.Set> sets) throws IOException {
        List<Evaluation.Summary> summaries = new ArrayList<>();
        try (LiverPredictor predictor = LiverPredictor.load(model.dir(), settings.batchSize(),
                settings.testTimeAugmentation(), settings.engine())) {
            SliceSegmenter segmenter = new SliceSegmenter(predictor,
                    SliceSegmenter.threshold(predictor.card(), settings.threshold()));
            for (ValidationSets.Set set : sets) {
                summaries.add(set.slices().isEmpty() ? null : Evaluation.run(segmenter, set.slices()));
            }
        }
        return summaries;
    }
}
