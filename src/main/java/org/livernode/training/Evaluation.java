package org.livernode.training;

import org.livernode.model.LiverPredictor;
import org.livernode.pipeline.LiverPostprocessing;
import org.livernode.volume.Resampling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Segments labelled slices with a trained model and scores them per case ({@link SegmentationMetrics} over the
 * case's slices) and overall (mean over cases, pooled DSC over all pixels, mean per-slice DSC). Slices not at
 * the model's input size are resized bilinearly in and out.
 */
public final class Evaluation {

    public record CaseResult(String caseId, int slices, SegmentationMetrics metrics) {
    }

    public record Summary(List<CaseResult> cases, Map<String, Double> meanOverCases, double pooledDsc,
                          double meanSliceDsc, int slices) {
    }

    private Evaluation() {
    }

    public static Summary run(LiverPredictor predictor, List<LabelledSlice> slices) {
        return run(predictor, slices, false);
    }

    /**
     * With {@code postprocess}, each slice's mask keeps only its largest connected region and has its holes filled
     * before it is scored: the node's clean-up, which it runs in 3D over a series, applied per slice because the
     * slices of a case need not be adjacent.
     */
    public static Summary run(LiverPredictor predictor, List<LabelledSlice> slices, boolean postprocess) {
        int size = predictor.card().inputSize();
        float threshold = predictor.card().threshold();
        Map<String, List<Integer>> byCase = new java.util.TreeMap<>();
        for (int i = 0; i < slices.size(); i++) {
            byCase.computeIfAbsent(slices.get(i).caseId(), k -> new ArrayList<>()).add(i);
        }
        List<CaseResult> results = new ArrayList<>();
        long inter = 0;
        long sum = 0;
        double sliceDsc = 0;
        for (Map.Entry<String, List<Integer>> entry : byCase.entrySet()) {
            List<LabelledSlice> caseSlices = entry.getValue().stream().map(slices::get).toList();
            LabelledSlice first = caseSlices.get(0);
            float[][] hu = new float[caseSlices.size()][];
            for (int k = 0; k < hu.length; k++) {
                LabelledSlice s = caseSlices.get(k);
                if (s.rows() != first.rows() || s.columns() != first.columns()) {
                    throw new IllegalArgumentException("case " + entry.getKey() + " mixes slice sizes "
                            + first.rows() + "x" + first.columns() + " and " + s.rows() + "x" + s.columns());
                }
                hu[k] = Resampling.bilinear(s.hu(), s.rows(), s.columns(), size, size);
            }
            float[][] probability = predictor.liverProbability(hu);
            byte[][] predicted = new byte[hu.length][];
            byte[][] truth = new byte[hu.length][];
            for (int k = 0; k < hu.length; k++) {
                float[] p = Resampling.bilinear(probability[k], size, size, first.rows(), first.columns());
                predicted[k] = new byte[p.length];
                truth[k] = caseSlices.get(k).liverMask();
                for (int j = 0; j < p.length; j++) {
                    predicted[k][j] = (byte) (p[j] > threshold ? 1 : 0);
                }
                if (postprocess) {
                    LiverPostprocessing.apply(new byte[][] {predicted[k]}, first.rows(), first.columns());
                }
                long i = 0;
                long s = 0;
                for (int j = 0; j < p.length; j++) {
                    boolean a = predicted[k][j] != 0;
                    boolean b = truth[k][j] != 0;
                    i += a && b ? 1 : 0;
                    s += (a ? 1 : 0) + (b ? 1 : 0);
                }
                inter += i;
                sum += s;
                sliceDsc += s == 0 ? 1 : 2.0 * i / s;
            }
            results.add(new CaseResult(entry.getKey(), hu.length, SegmentationMetrics.of(predicted, truth,
                    first.rows(), first.columns(), first.rowSpacingMm(), first.columnSpacingMm())));
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        mean.put("dsc", mean(results, r -> r.metrics().dsc()));
        mean.put("voe", mean(results, r -> r.metrics().voe()));
        mean.put("asd_mm", mean(results, r -> r.metrics().asdMm()));
        mean.put("precision", mean(results, r -> r.metrics().precision()));
        mean.put("recall", mean(results, r -> r.metrics().recall()));
        mean.put("hd95_mm", mean(results, r -> r.metrics().hd95Mm()));
        return new Summary(results, mean, sum == 0 ? 1 : 2.0 * inter / sum, sliceDsc / Math.max(1, slices.size()), slices.size());
    }

    /** Mean over cases where the metric is defined (NaN when none is). */
    private static double mean(List<CaseResult> results, ToDoubleFunction<CaseResult> f) {
        return results.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
    }
}
