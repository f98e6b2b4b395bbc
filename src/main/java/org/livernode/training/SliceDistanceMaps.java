package org.livernode.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per slice, the squared in-plane distance (mm²) from every pixel to the nearest point of a set (a surface), by the
 * exact separable Euclidean distance transform of Felzenszwalb and Huttenlocher (lower envelope of parabolas) with
 * row and column spacing. Maps are made when first asked for and the most recent few kept (the search for a point's
 * nearest rarely leaves its own slice's neighbours), so a long series at 512x512 holds about 16 MB of them.
 */
final class SliceDistanceMaps {
    private static final int KEPT = 8;

    private final int[][] points;
    private final int rows;
    private final int columns;
    private final double rowMm;
    private final double columnMm;
    private final Map<Integer, double[]> recent = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, double[]> eldest) {
            return size() > KEPT;
        }
    };

    /** @param points per slice, the pixel indices (row-major) of the set */
    SliceDistanceMaps(int[][] points, int rows, int columns, double rowMm, double columnMm) {
        this.points = points;
        this.rows = rows;
        this.columns = columns;
        this.rowMm = rowMm;
        this.columnMm = columnMm;
    }

    /** Squared distance from pixel {@code i} of slice {@code k} to the set's nearest point in that slice; infinite if none. */
    double squared(int k, int i) {
        if (points[k].length == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return recent.computeIfAbsent(k, this::map)[i];
    }

    private double[] map(int k) {
        double[] d = new double[rows * columns];
        java.util.Arrays.fill(d, Double.POSITIVE_INFINITY);
        for (int i : points[k]) {
            d[i] = 0;
        }
        int n = Math.max(rows, columns);
        double[] f = new double[n];
        double[] out = new double[n];
        int[] v = new int[n];
        double[] z = new double[n + 1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                f[c] = d[r * columns + c];
            }
            transform(f, columns, columnMm, out, v, z);
            for (int c = 0; c < columns; c++) {
                d[r * columns + c] = out[c];
            }
        }
        for (int c = 0; c < columns; c++) {
            for (int r = 0; r < rows; r++) {
                f[r] = d[r * columns + c];
            }
            transform(f, rows, rowMm, out, v, z);
            for (int r = 0; r < rows; r++) {
                d[r * columns + c] = out[r];
            }
        }
        return d;
    }

    /** out[q] = min over p of ((q - p) * spacing)² + f[p]; infinite values of f are never a minimum. */
    private static void transform(double[] f, int n, double spacing, double[] out, int[] v, double[] z) {
        int k = -1;
        for (int q = 0; q < n; q++) {
            if (f[q] == Double.POSITIVE_INFINITY) {
                continue;
            }
            double xq = q * spacing;
            double s = Double.NEGATIVE_INFINITY;
            while (k >= 0) {
                double xp = v[k] * spacing;
                s = ((f[q] + xq * xq) - (f[v[k]] + xp * xp)) / (2 * (xq - xp));
                if (s > z[k]) {
                    break;
                }
                k--;
            }
            k++;
            v[k] = q;
            z[k] = k == 0 ? Double.NEGATIVE_INFINITY : s;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        if (k < 0) {
            java.util.Arrays.fill(out, 0, n, Double.POSITIVE_INFINITY);
            return;
        }
        int j = 0;
        for (int q = 0; q < n; q++) {
            double xq = q * spacing;
            while (z[j + 1] < xq) {
                j++;
            }
            double dx = xq - v[j] * spacing;
            out[q] = dx * dx + f[v[j]];
        }
    }
}
