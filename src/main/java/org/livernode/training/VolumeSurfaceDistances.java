package org.livernode.training;

/**
 * Surface distances of two 3D masks on a stack of slices at given positions along the slice normal (mm, ascending,
 * not necessarily evenly spaced): a surface voxel is a mask voxel with a 6-neighbour outside the mask (the volume's
 * border counts as outside), and each distance is Euclidean in mm over row spacing, column spacing and the slices'
 * own positions. The nearest point is searched slice by slice outward from the point's own slice, on each slice's
 * in-plane distance map ({@link SliceDistanceMaps}), and stops once the distance along the normal alone is no nearer.
 */
final class VolumeSurfaceDistances {

    private VolumeSurfaceDistances() {
    }

    /** Per slice, the indices (row-major) of its surface voxels. */
    static int[][] surfaces(byte[][] mask, int rows, int columns) {
        int[][] out = new int[mask.length][];
        int last = mask.length - 1;
        for (int k = 0; k < mask.length; k++) {
            int[] inSlice = SegmentationMetrics.surface(mask[k], rows, columns);
            if (k == 0 || k == last) {
                out[k] = allOf(mask[k]);
                continue;
            }
            int[] points = new int[mask[k].length];
            int n = 0;
            int s = 0;
            for (int i = 0; i < mask[k].length; i++) {
                if (mask[k][i] == 0) {
                    continue;
                }
                boolean onSliceSurface = s < inSlice.length && inSlice[s] == i;
                if (onSliceSurface) {
                    s++;
                }
                if (onSliceSurface || mask[k - 1][i] == 0 || mask[k + 1][i] == 0) {
                    points[n++] = i;
                }
            }
            out[k] = java.util.Arrays.copyOf(points, n);
        }
        return out;
    }

    private static int[] allOf(byte[] mask) {
        int n = 0;
        for (byte b : mask) {
            n += b != 0 ? 1 : 0;
        }
        int[] all = new int[n];
        int j = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                all[j++] = i;
            }
        }
        return all;
    }

    /** The distance from each surface point of {@code from} to the nearest surface point of {@code to}. */
    static void directed(int[][] from, int[][] to, int rows, int columns, double rowMm, double columnMm,
                         double[] positionsMm, SegmentationMetrics.DoubleList out) {
        SliceDistanceMaps maps = new SliceDistanceMaps(to, rows, columns, rowMm, columnMm);
        for (int j = 0; j < from.length; j++) {
            for (int a : from[j]) {
                double best = Double.POSITIVE_INFINITY;
                int below = j;
                int above = j + 1;
                while (below >= 0 || above < to.length) {
                    double dzBelow = below >= 0 ? positionsMm[j] - positionsMm[below] : Double.POSITIVE_INFINITY;
                    double dzAbove = above < to.length ? positionsMm[above] - positionsMm[j] : Double.POSITIVE_INFINITY;
                    int k = dzBelow <= dzAbove ? below-- : above++;
                    double dz = Math.min(dzBelow, dzAbove);
                    double dz2 = dz * dz;
                    if (dz2 >= best) {
                        break;
                    }
                    best = Math.min(best, maps.squared(k, a) + dz2);
                }
                out.add(Math.sqrt(best));
            }
        }
    }
}
