package org.livernode.training;

import org.livernode.segmentation.LiverPostprocessing;
import org.livernode.segmentation.SliceSegmenter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Segments labelled slices through the node's own path ({@link SliceSegmenter}: pad to square, resize, the card's
 * mapping, threshold) and scores them per case ({@link SegmentationMetrics} over the case's slices) and overall
 * (mean over cases, pooled DSC over all pixels, mean per-slice DSC). {@code evaluate} and training's validation
 * both run through here.
 */
public final class Evaluation {

    public record CaseResult(String caseId, int slices, SegmentationMetrics metrics) {
    }

    public record Summary(List<CaseResult> cases, Map<String, Double> meanOverCases, double pooledDsc,
                          double meanSliceDsc, int slices) {
    }

    private Evaluation() {
    }

    public static Summary run(SliceSegmenter segmenter, List<LabelledSlice> slices) {
        return run(segmenter, slices, false);
    }

    /**
     * With {@code postprocess}, each slice's mask keeps only its largest connected region and has its holes filled
     * before it is scored: the node's clean-up, which it runs in 3D over a series, applied per slice because the
     * slices of a case need not be adjacent.
     */
    public static Summary run(SliceSegmenter segmenter, List<LabelledSlice> slices, boolean postprocess) {
        Map<String, List<LabelledSlice>> byCase = new TreeMap<>();
        for (LabelledSlice s : slices) {
            byCase.computeIfAbsent(s.caseId(), k -> new ArrayList<>()).add(s);
        }
        List<CaseResult> results = new ArrayList<>();
        SegmentationMetrics.Overlap pooled = SegmentationMetrics.Overlap.NONE;
        double sliceDsc = 0;
        for (Map.Entry<String, List<LabelledSlice>> entry : byCase.entrySet()) {
            List<LabelledSlice> caseSlices = entry.getValue();
            LabelledSlice first = caseSlices.get(0);
            byte[][] predicted = masks(segmenter, caseSlices, postprocess);
            byte[][] truth = new byte[predicted.length][];
            for (int k = 0; k < predicted.length; k++) {
                truth[k] = caseSlices.get(k).liverMask();
                SegmentationMetrics.Overlap overlap = SegmentationMetrics.Overlap.of(predicted[k], truth[k]);
                pooled = pooled.plus(overlap);
                sliceDsc += overlap.dsc();
            }
            results.add(new CaseResult(entry.getKey(), predicted.length, SegmentationMetrics.of(predicted, truth,
                    first.rows(), first.columns(), first.rowSpacingMm(), first.columnSpacingMm())));
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        mean.put("dsc", mean(results, r -> r.metrics().dsc()));
        mean.put("voe", mean(results, r -> r.metrics().voe()));
        mean.put("asd_mm", mean(results, r -> r.metrics().asdMm()));
        mean.put("precision", mean(results, r -> r.metrics().precision()));
        mean.put("recall", mean(results, r -> r.metrics().recall()));
        mean.put("hd95_mm", mean(results, r -> r.metrics().hd95Mm()));
        return new Summary(results, mean, pooled.dsc(), sliceDsc / Math.max(1, slices.size()), slices.size());
    }

    /**
     * The masks evaluation scores for slices of one size, in their order: predicted together as one call (the
     * model batches them), each cleaned up on its own when {@code postprocess}.
     */
    public static byte[][] masks(SliceSegmenter segmenter, List<LabelledSlice> slices, boolean postprocess) {
        LabelledSlice first = slices.get(0);
        float[][] hu = new float[slices.size()][];
        for (int k = 0; k < hu.length; k++) {
            LabelledSlice s = slices.get(k);
            if (s.rows() != first.rows() || s.columns() != first.columns()) {
                throw new IllegalArgumentException("case " + s.caseId() + " mixes slice sizes "
                        + first.rows() + "x" + first.columns() + " and " + s.rows() + "x" + s.columns());
            }
            hu[k] = s.hu();
        }
        byte[][] predicted = segmenter.masks(hu, first.rows(), first.columns());
        if (postprocess) {
            for (byte[] mask : predicted) {
                LiverPostprocessing.apply(new byte[][] {mask}, first.rows(), first.columns());
            }
        }
        return predicted;
    }

    /** Mean over cases where the metric is defined (NaN when none is). */
    private static double mean(List<CaseResult> results, ToDoubleFunction<CaseResult> f) {
        return results.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
    }
}
