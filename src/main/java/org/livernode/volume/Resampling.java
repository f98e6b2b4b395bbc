package org.livernode.volume;

/**
 * 2D resizing of row-major slices (model input 512 -> 256 and probabilities back). Pixel centres are aligned
 * (the "half-pixel" convention of OpenCV INTER_LINEAR and PyTorch {@code align_corners=false}): source coordinate
 * {@code (x + 0.5) * srcSize / dstSize - 0.5}, clamped at the borders. An identity resize returns the same values,
 * and halving a size averages 2x2 blocks.
 */
public final class Resampling {

    private Resampling() {
    }

    /** Bilinear resize of a float slice (HU, probabilities). */
    public static float[] bilinear(float[] src, int srcRows, int srcColumns, int dstRows, int dstColumns) {
        check(src.length, srcRows, srcColumns, dstRows, dstColumns);
        if (srcRows == dstRows && srcColumns == dstColumns) {
            return src.clone();
        }
        int[] x0 = new int[dstColumns];
        int[] x1 = new int[dstColumns];
        float[] fx = new float[dstColumns];
        axis(srcColumns, dstColumns, x0, x1, fx);
        int[] y0 = new int[dstRows];
        int[] y1 = new int[dstRows];
        float[] fy = new float[dstRows];
        axis(srcRows, dstRows, y0, y1, fy);
        float[] dst = new float[dstRows * dstColumns];
        for (int r = 0; r < dstRows; r++) {
            int a = y0[r] * srcColumns;
            int b = y1[r] * srcColumns;
            float wy = fy[r];
            for (int c = 0; c < dstColumns; c++) {
                float top = src[a + x0[c]] + fx[c] * (src[a + x1[c]] - src[a + x0[c]]);
                float bottom = src[b + x0[c]] + fx[c] * (src[b + x1[c]] - src[b + x0[c]]);
                dst[r * dstColumns + c] = top + wy * (bottom - top);
            }
        }
        return dst;
    }

    /** Nearest-neighbour resize of a label mask (values are copied, never blended). */
    public static byte[] nearest(byte[] src, int srcRows, int srcColumns, int dstRows, int dstColumns) {
        check(src.length, srcRows, srcColumns, dstRows, dstColumns);
        byte[] dst = new byte[dstRows * dstColumns];
        int[] xs = new int[dstColumns];
        for (int c = 0; c < dstColumns; c++) {
            xs[c] = nearestIndex(c, srcColumns, dstColumns);
        }
        for (int r = 0; r < dstRows; r++) {
            int row = nearestIndex(r, srcRows, dstRows) * srcColumns;
            for (int c = 0; c < dstColumns; c++) {
                dst[r * dstColumns + c] = src[row + xs[c]];
            }
        }
        return dst;
    }

    private static int nearestIndex(int dst, int srcSize, int dstSize) {
        int i = (int) Math.floor((dst + 0.5) * srcSize / dstSize);
        return Math.min(srcSize - 1, Math.max(0, i));
    }

    private static void axis(int srcSize, int dstSize, int[] i0, int[] i1, float[] frac) {
        double scale = (double) srcSize / dstSize;
        for (int d = 0; d < dstSize; d++) {
            double s = Math.min(srcSize - 1, Math.max(0, (d + 0.5) * scale - 0.5));
            int lo = (int) Math.floor(s);
            i0[d] = lo;
            i1[d] = Math.min(lo + 1, srcSize - 1);
            frac[d] = (float) (s - lo);
        }
    }

    private static void check(int length, int srcRows, int srcColumns, int dstRows, int dstColumns) {
        if (srcRows <= 0 || srcColumns <= 0 || dstRows <= 0 || dstColumns <= 0) {
            throw new IllegalArgumentException("sizes must be positive, found source " + srcRows + "x" + srcColumns
                    + ", target " + dstRows + "x" + dstColumns);
        }
        if (length != srcRows * srcColumns) {
            throw new IllegalArgumentException("source length must be rows*columns = " + srcRows * srcColumns
                    + ", found " + length);
        }
    }
}
