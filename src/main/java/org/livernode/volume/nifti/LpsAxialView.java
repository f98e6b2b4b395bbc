package org.livernode.volume.nifti;

import org.livernode.volume.VolumeException;

/**
 * An axial NIfTI volume presented like a standard axial DICOM series read by
 * {@link org.livernode.volume.CtSeriesReader}: columns run towards the patient's left (+x LPS), rows towards
 * posterior (+y LPS) and slices from inferior to superior (+z), whatever flips or i/j swap the file's affine has.
 * So slices from NIfTI training data (e.g. LiTS) and from received DICOM look the same to a model.
 */
public final class LpsAxialView {

    private final NiftiImage image;
    /** For output columns, rows and slices: which voxel axis (0 = i, 1 = j, 2 = k) and whether it is reversed. */
    private final int[] axis = new int[3];
    private final boolean[] reversed = new boolean[3];
    private final int[] size = new int[3];
    private final double[] spacing = new double[3];

    private LpsAxialView(NiftiImage image) {
        this.image = image;
        double[][] lps = image.affineLps();
        int[] n = {image.nx(), image.ny(), image.nz()};
        boolean[] used = new boolean[3];
        for (int world = 0; world < 3; world++) {
            int best = -1;
            double bestShare = 0;
            for (int v = 0; v < 3; v++) {
                double norm = Math.sqrt(lps[0][v] * lps[0][v] + lps[1][v] * lps[1][v] + lps[2][v] * lps[2][v]);
                double share = Math.abs(lps[world][v]) / norm;
                if (!used[v] && share > bestShare) {
                    best = v;
                    bestShare = share;
                }
            }
            if (bestShare < 0.95) {
                throw new VolumeException("rule 'an axial volume whose voxel axes follow the patient axes (within 18 "
                        + "degrees)' failed: no voxel axis runs along patient axis " + "xyz".charAt(world)
                        + " (best share " + bestShare + ") in the LPS affine");
            }
            used[best] = true;
            axis[world] = best;
            reversed[world] = lps[world][best] < 0;
            size[world] = n[best];
            spacing[world] = Math.abs(lps[world][best]) / bestShare;
        }
    }

    /** The view of an image; refuses (VolumeException) oblique volumes whose axes are far from the patient axes. */
    public static LpsAxialView of(NiftiImage image) {
        return new LpsAxialView(image);
    }

    public int rows() {
        return size[1];
    }

    public int columns() {
        return size[0];
    }

    public int sliceCount() {
        return size[2];
    }

    /** Distance between rows (along +y), columns (along +x) and slices (along +z), mm. */
    public double rowSpacing() {
        return spacing[1];
    }

    public double columnSpacing() {
        return spacing[0];
    }

    public double sliceSpacing() {
        return spacing[2];
    }

    /** Slice k (0 = most inferior): rows*columns scaled values, row-major. */
    public float[] slice(int k) {
        if (k < 0 || k >= sliceCount()) {
            throw new IndexOutOfBoundsException("slice k must be in [0, " + sliceCount() + "), found " + k);
        }
        float[] out = new float[rows() * columns()];
        int[] voxel = new int[3];
        voxel[axis[2]] = reversed[2] ? size[2] - 1 - k : k;
        for (int r = 0; r < rows(); r++) {
            voxel[axis[1]] = reversed[1] ? size[1] - 1 - r : r;
            for (int c = 0; c < columns(); c++) {
                voxel[axis[0]] = reversed[0] ? size[0] - 1 - c : c;
                out[r * columns() + c] = image.floatValue(voxel[0], voxel[1], voxel[2]);
            }
        }
        return out;
    }
}
