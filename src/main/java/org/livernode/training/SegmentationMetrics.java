package org.livernode.training;

import java.util.Arrays;

/**
 * Overlap and surface metrics of a predicted mask against the truth, on a stack of 2D slices with pixel spacing
 * (row, column) in mm. {@link #of}: slices are treated independently (the lits-slices data are not contiguous): surfaces are
 * 4-connected boundaries found per slice, and surface distances are measured within the slice. {@link #ofVolume}: the
 * slices are one volume at given positions, surfaces and distances are 3D.
 *
 * <ul>
 * <li>DSC = 2|P&cap;T| / (|P| + |T|); VOE = 1 - |P&cap;T| / |P&cup;T|; precision = |P&cap;T| / |P|; recall = |P&cap;T| / |T|.</li>
 * <li>ASD (mm) = mean of all distances from each surface pixel of P to the nearest surface pixel of T (same slice) and
 * from each of T to P. HD95 (mm) = the larger of the two directed 95th percentiles (linear interpolation).</li>
 * <li>Both masks empty: DSC 1, VOE 0, precision 1, recall 1, ASD 0, HD95 0. Exactly one empty: DSC 0, VOE 1,
 * precision 0, recall 0, ASD and HD95 undefined (NaN). A slice where only one mask has a surface contributes no
 * distances (there is nothing in that slice to measure to); if no slice has both, ASD/HD95 are NaN.</li>
 * </ul>
 */
public record SegmentationMetrics(double dsc, double voe, double precision, double recall, double asdMm, double hd95Mm,
                                  long predictedPixels, long truthPixels) {

    /**
     * Pixel counts of one comparison (a slice, or many added up for a pooled figure), and the one DSC rule:
     * 2|P&cap;T| / (|P| + |T|), 1 when both are empty.
     */
    public record Overlap(long intersection, long predicted, long truth) {
        public static final Overlap NONE = new Overlap(0, 0, 0);

        /** @param predicted nonzero = liver; truth likewise, the same length */
        public static Overlap of(byte[] predicted, byte[] truth) {
            if (predicted.length != truth.length) {
                throw new IllegalArgumentException("predicted and truth must have the same pixel count, found "
                        + predicted.length + " and " + truth.length);
            }
            long tp = 0;
            long p = 0;
            long t = 0;
            for (int i = 0; i < truth.length; i++) {
                boolean a = predicted[i] != 0;
                boolean b = truth[i] != 0;
                tp += a && b ? 1 : 0;
                p += a ? 1 : 0;
                t += b ? 1 : 0;
            }
            return new Overlap(tp, p, t);
        }

        public Overlap plus(Overlap other) {
            return new Overlap(intersection + other.intersection, predicted + other.predicted, truth + other.truth);
        }

        public double dsc() {
            return predicted + truth == 0 ? 1 : 2.0 * intersection / (predicted + truth);
        }
    }

    /** @param predicted slices of rows*columns, nonzero = liver; truth likewise */
    public static SegmentationMetrics of(byte[][] predicted, byte[][] truth, int rows, int columns,
                                         double rowSpacingMm, double columnSpacingMm) {
        return score(predicted, truth, rows, columns, (predToTruth, truthToPred) -> {
            for (int k = 0; k < truth.length; k++) {
                int[] sp = surface(predicted[k], rows, columns);
                int[] st = surface(truth[k], rows, columns);
                if (sp.length > 0 && st.length > 0) {
                    directed(sp, st, columns, rowSpacingMm, columnSpacingMm, predToTruth);
                    directed(st, sp, columns, rowSpacingMm, columnSpacingMm, truthToPred);
                }
            }
        });
    }

    /**
     * The same figures on a 3D volume, for a case whose slices are a contiguous CT series (a node's SEG against a
     * radiologist's correction): surfaces and distances are 3D ({@link VolumeSurfaceDistances}), on the series' own
     * slice positions.
     *
     * @param slicePositionsMm each slice's position along the slice normal, ascending
     */
    public static SegmentationMetrics ofVolume(byte[][] predicted, byte[][] truth, int rows, int columns,
                                               double rowSpacingMm, double columnSpacingMm, double[] slicePositionsMm) {
        if (slicePositionsMm.length != truth.length) {
            throw new IllegalArgumentException("one slice position per slice is needed, found " + slicePositionsMm.length
                    + " for " + truth.length + " slices");
        }
        for (int k = 1; k < slicePositionsMm.length; k++) {
            if (!(slicePositionsMm[k] > slicePositionsMm[k - 1])) {
                throw new IllegalArgumentException("slice positions must ascend, found " + slicePositionsMm[k - 1]
                        + " then " + slicePositionsMm[k] + " at slice " + k);
            }
        }
        return score(predicted, truth, rows, columns, (predToTruth, truthToPred) -> {
            int[][] sp = VolumeSurfaceDistances.surfaces(predicted, rows, columns);
            int[][] st = VolumeSurfaceDistances.surfaces(truth, rows, columns);
            VolumeSurfaceDistances.directed(sp, st, rows, columns, rowSpacingMm, columnSpacingMm, slicePositionsMm, predToTruth);
            VolumeSurfaceDistances.directed(st, sp, rows, columns, rowSpacingMm, columnSpacingMm, slicePositionsMm, truthToPred);
        });
    }

    /** Fills the two directed distance lists (prediction to truth, truth to prediction). */
    private interface SurfaceDistances {
        void measure(DoubleList predToTruth, DoubleList truthToPred);
    }

    private static SegmentationMetrics score(byte[][] predicted, byte[][] truth, int rows, int columns,
                                             SurfaceDistances distances) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException("predicted and truth must have the same slice count, found "
                    + predicted.length + " and " + truth.length);
        }
        Overlap overlap = Overlap.NONE;
        for (int k = 0; k < truth.length; k++) {
            check(predicted[k], rows, columns, "predicted");
            check(truth[k], rows, columns, "truth");
            overlap = overlap.plus(Overlap.of(predicted[k], truth[k]));
        }
        long tp = overlap.intersection();
        long p = overlap.predicted();
        long t = overlap.truth();
        if (p == 0 && t == 0) {
            return new SegmentationMetrics(1, 0, 1, 1, 0, 0, 0, 0);
        }
        if (p == 0 || t == 0) {
            return new SegmentationMetrics(0, 1, 0, 0, Double.NaN, Double.NaN, p, t);
        }
        double dsc = overlap.dsc();
        double voe = 1.0 - (double) tp / (p + t - tp);
        DoubleList predToTruth = new DoubleList();
        DoubleList truthToPred = new DoubleList();
        distances.measure(predToTruth, truthToPred);
        double asd = Double.NaN;
        double hd95 = Double.NaN;
        if (predToTruth.size > 0) {
            asd = (predToTruth.sum() + truthToPred.sum()) / (predToTruth.size + truthToPred.size);
            hd95 = Math.max(predToTruth.percentile(95), truthToPred.percentile(95));
        }
        return new SegmentationMetrics(dsc, voe, (double) tp / p, (double) tp / t, asd, hd95, p, t);
    }

    private static void check(byte[] mask, int rows, int columns, String name) {
        if (mask.length != rows * columns) {
            throw new IllegalArgumentException(name + " slice must have rows*columns = " + rows * columns
                    + " pixels, found " + mask.length);
        }
    }

    /** Indices of mask pixels with a 4-neighbour outside the mask (the image border counts as outside). */
    static int[] surface(byte[] mask, int rows, int columns) {
        int[] out = new int[mask.length];
        int n = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int i = r * columns + c;
                if (mask[i] == 0) {
                    continue;
                }
                boolean edge = r == 0 || c == 0 || r == rows - 1 || c == columns - 1
                        || mask[i - 1] == 0 || mask[i + 1] == 0 || mask[i - columns] == 0 || mask[i + columns] == 0;
                if (edge) {
                    out[n++] = i;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Distance from each point of {@code from} to the nearest point of {@code to} (brute force; surfaces are small). */
    private static void directed(int[] from, int[] to, int columns, double rowMm, double colMm, DoubleList out) {
        for (int a : from) {
            int ra = a / columns;
            int ca = a % columns;
            double best = Double.MAX_VALUE;
            for (int b : to) {
                double dr = (b / columns - ra) * rowMm;
                double dc = (b % columns - ca) * colMm;
                double d = dr * dr + dc * dc;
                if (d < best) {
                    best = d;
                }
            }
            out.add(Math.sqrt(best));
        }
    }

    /** A growable double array (distances of a whole case can be many). */
    static final class DoubleList {
        private double[] values = new double[1024];
        private int size;

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        double sum() {
            double s = 0;
            for (int i = 0; i < size; i++) {
                s += values[i];
            }
            return s;
        }

        double percentile(double q) {
            double[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            double pos = q / 100.0 * (size - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(size - 1, lo + 1);
            return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
        }
    }
}
