package org.livernode.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.inject.Inject;
import org.livernode.config.LivernodeConfig;
import org.livernode.model.InferenceEngine;
import org.livernode.model.LiverPredictor;
import org.livernode.segmentation.SliceSegmenter;
import org.livernode.training.CaseSplit;
import org.livernode.training.DataSpec;
import org.livernode.training.Evaluation;
import org.livernode.training.LabelledSlice;
import org.livernode.training.LabelledSliceSource;
import org.livernode.training.SegmentationMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code livernode evaluate}: scores a model directory on labelled data, per case and on average. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model: per-case and mean DSC, VOE, ASD, precision, recall, HD95 (table, and JSON with --json).")
public class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model directory (model.params + model-card.json)")
    Path model;

    @Option(names = "--data", required = true, description = "Labelled data: lits-slices:PATH, lits:PATH[?min-liver-fraction=0.015][&size=256] (LiTS NIfTI volumes) or local[:DATA_DIR] (stored CT with radiologists\' SEGs)")
    String data;

    @Option(names = "--split", defaultValue = "val", description = "val, train or all (split by case as in training); default ${DEFAULT-VALUE}")
    String split;

    @Option(names = "--seed", description = "Split seed (default: the model card's, else 42)")
    Long seed;

    @Option(names = "--train-fraction", description = "Split train fraction (default: the model card's, else 0.8)")
    Double trainFraction;

    @Option(names = "--tta", description = "8-way flip/rotation test-time augmentation (default: the model card's setting)")
    Boolean tta;

    @Option(names = "--postprocess", description = "Score each slice after the node's clean-up (largest connected region, holes filled)")
    boolean postprocess;

    @Option(names = "--min-liver-fraction", defaultValue = "0", description = "Score only slices whose liver covers at least this fraction of the slice (the paper's data rule: 0.015); the split is made first, from all slices; default ${DEFAULT-VALUE}")
    double minLiverFraction;

    @Option(names = "--threshold", description = "Liver probability threshold (default: the model card's, as the node uses unless livernode.inference.threshold is set)")
    Double threshold;

    @Option(names = "--batch-size", defaultValue = "8", description = "Slices per forward pass; default ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--json", description = "Also write the results as JSON to this file")
    Path json;

    @Option(names = "--engine", description = "Inference engine, pytorch or onnxruntime (default: livernode.inference.engine)")
    String engine;

    @Inject
    LivernodeConfig config;

    @Override
    public Integer call() {
        if (!List.of("val", "train", "all").contains(split)) {
            System.err.println("livernode evaluate: --split must be val, train or all, found " + split);
            return 2;
        }
        if (!(minLiverFraction >= 0 && minLiverFraction <= 1)) {
            System.err.println("livernode evaluate: --min-liver-fraction must be in [0, 1], found " + minLiverFraction);
            return 2;
        }
        if (threshold != null && !(threshold > 0 && threshold < 1)) {
            System.err.println("livernode evaluate: --threshold must be between 0 and 1 (exclusive), found " + threshold);
            return 2;
        }
        if (!Files.isDirectory(model)) {
            System.err.println("livernode evaluate: --model " + model + " is not a directory");
            return 2;
        }
        InferenceEngine chosen;
        try {
            chosen = InferenceEngine.chosen(engine, config.inference().engine());
        } catch (IllegalArgumentException e) {
            System.err.println("livernode evaluate: " + e.getMessage());
            return 2;
        }
        try {
            LabelledSliceSource source = DataSpec.parse(data);
            List<LabelledSlice> all = source.load();
            try (LiverPredictor predictor = LiverPredictor.load(model, batchSize,
                    tta != null ? tta : org.livernode.model.ModelFiles.readCard(model).testTimeAugmentation(), chosen)) {
                Map<String, Object> training = predictor.card().training();
                long s = seed != null ? seed : ((Number) training.getOrDefault("splitSeed", 42)).longValue();
                double f = trainFraction != null ? trainFraction : ((Number) training.getOrDefault("trainFraction", 0.8)).doubleValue();
                CaseSplit caseSplit = CaseSplit.of(all, s, f);
                List<LabelledSlice> subset = switch (split) {
                    case "val" -> caseSplit.validation();
                    case "train" -> caseSplit.train();
                    default -> all;
                };
                List<LabelledSlice> slices = subset.stream()
                        .filter(x -> x.liverPixels() >= minLiverFraction * x.rows() * x.columns()).toList();
                if (slices.size() < subset.size()) {
                    System.out.printf(Locale.ROOT, "%d of %d slices have liver on under %.1f %% of the slice: not scored%n",
                            subset.size() - slices.size(), subset.size(), 100 * minLiverFraction);
                }
                long t0 = System.nanoTime();
                SliceSegmenter segmenter = new SliceSegmenter(predictor,
                        SliceSegmenter.threshold(predictor.card(), Optional.ofNullable(threshold)));
                Evaluation.Summary summary = Evaluation.run(segmenter, slices, postprocess);
                double seconds = (System.nanoTime() - t0) / 1e9;
                printTable(summary);
                System.out.printf(Locale.ROOT, "%d slices in %.1f s (%.3f s/slice, TTA %s, batch norms folded %s, threshold %s, post-processing %s); split %s (seed %d, train fraction %s) of %s%n",
                        summary.slices(), seconds, seconds / Math.max(1, summary.slices()), predictor.testTimeAugmentation(),
                        predictor.batchNormFolded(), segmenter.threshold(), postprocess,
                        split, s, f, source.describe());
                if (json != null) {
                    writeJson(summary, predictor, segmenter.threshold(), s, f, source.describe(), seconds);
                    System.out.println("JSON written to " + json.toAbsolutePath());
                }
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("livernode evaluate: " + e.getMessage());
            return 2;
        }
    }

    private static void printTable(Evaluation.Summary summary) {
        System.out.printf("%-14s %6s %7s %7s %8s %9s %7s %9s%n", "case", "slices", "DSC", "VOE", "ASD mm", "precision", "recall", "HD95 mm");
        for (Evaluation.CaseResult r : summary.cases()) {
            SegmentationMetrics m = r.metrics();
            System.out.printf(Locale.ROOT, "%-14s %6d %7.4f %7.4f %8s %9.4f %7.4f %9s%n", r.caseId(), r.slices(), m.dsc(), m.voe(),
                    format(m.asdMm()), m.precision(), m.recall(), format(m.hd95Mm()));
        }
        Map<String, Double> mean = summary.meanOverCases();
        System.out.printf(Locale.ROOT, "%-14s %6d %7.4f %7.4f %8s %9.4f %7.4f %9s%n", "mean (cases)", summary.slices(),
                mean.get("dsc"), mean.get("voe"), format(mean.get("asd_mm")), mean.get("precision"), mean.get("recall"),
                format(mean.get("hd95_mm")));
        System.out.printf(Locale.ROOT, "pooled DSC %.4f; mean per-slice DSC %.4f%n", summary.pooledDsc(), summary.meanSliceDsc());
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    private void writeJson(Evaluation.Summary summary, LiverPredictor predictor, double usedThreshold, long s, double f,
                           String source, double seconds)
            throws IOException {
        List<Map<String, Object>> cases = new ArrayList<>();
        for (Evaluation.CaseResult r : summary.cases()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("case", r.caseId());
            c.put("slices", r.slices());
            c.putAll(metricsMap(r.metrics()));
            cases.add(c);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", model.toAbsolutePath().toString());
        root.put("modelName", predictor.card().name());
        root.put("weightsSha256", predictor.card().weightsSha256());
        root.put("data", source);
        root.put("split", Map.of("subset", split, "seed", s, "trainFraction", f));
        root.put("testTimeAugmentation", predictor.testTimeAugmentation());
        root.put("threshold", usedThreshold);
        root.put("preprocessing", "the node's: pad to square with air, bilinear resize to the input size, the card's intensity mapping");
        root.put("minLiverFraction", minLiverFraction);
        root.put("postprocessing", postprocess ? "per slice: largest connected region, holes filled" : "none");
        root.put("slices", summary.slices());
        root.put("seconds", seconds);
        root.put("cases", cases);
        Map<String, Object> mean = new LinkedHashMap<>();
        summary.meanOverCases().forEach((k, v) -> mean.put(k, Double.isNaN(v) ? null : v));
        root.put("meanOverCases", mean);
        root.put("pooledDsc", summary.pooledDsc());
        root.put("meanSliceDsc", summary.meanSliceDsc());
        root.put("distanceUnitNote", "mm from the slices' pixel spacing (lits: and local: from the files); lits-slices has none, so 1 mm = 1 pixel");
        ObjectMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        if (json.toAbsolutePath().getParent() != null) {
            Files.createDirectories(json.toAbsolutePath().getParent());
        }
        mapper.writeValue(json.toFile(), root);
    }

    private static Map<String, Object> metricsMap(SegmentationMetrics m) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dsc", m.dsc());
        c.put("voe", m.voe());
        c.put("asd_mm", Double.isNaN(m.asdMm()) ? null : m.asdMm());
        c.put("precision", m.precision());
        c.put("recall", m.recall());
        c.put("hd95_mm", Double.isNaN(m.hd95Mm()) ? null : m.hd95Mm());
        c.put("predictedPixels", m.predictedPixels());
        c.put("truthPixels", m.truthPixels());
        return c;
    }
}
