package org.livernode.volume;

import java.util.Arrays;

/**
 * Where the voxels of a sorted slice stack lie in the patient coordinate system (DICOM LPS, millimetres).
 *
 * <p>Voxel index convention: {@code i} = column (along {@link #rowDirection()}, the first triplet of Image
 * Orientation Patient), {@code j} = row (along {@link #columnDirection()}, the second triplet), {@code k} = slice.
 * Slices are ordered by increasing position along {@link #normal()} = rowDirection x columnDirection, so
 * {@link #sliceSpacing()} (measured between Image Position Patient of neighbouring slices) is always positive and
 * slice k lies at {@code origin + k * sliceSpacing * normal}.
 */
public final class VolumeGeometry {

    private final double[] origin;
    private final double[] rowDirection;
    private final double[] columnDirection;
    private final double[] normal;
    private final double rowSpacing;
    private final double columnSpacing;
    private final double sliceSpacing;

    /**
     * @param origin          Image Position Patient of slice 0 (centre of its first pixel), mm
     * @param rowDirection    direction of increasing column index (unit vector)
     * @param columnDirection direction of increasing row index (unit vector, orthogonal to rowDirection)
     * @param rowSpacing      distance between the centres of adjacent rows (Pixel Spacing value 1), mm
     * @param columnSpacing   distance between the centres of adjacent columns (Pixel Spacing value 2), mm
     * @param sliceSpacing    distance between adjacent slices along the normal, mm, &gt; 0
     */
    public VolumeGeometry(double[] origin, double[] rowDirection, double[] columnDirection,
                          double rowSpacing, double columnSpacing, double sliceSpacing) {
        this.origin = vector3("origin", origin);
        this.rowDirection = unit("rowDirection", rowDirection);
        this.columnDirection = unit("columnDirection", columnDirection);
        double dot = dot(this.rowDirection, this.columnDirection);
        if (Math.abs(dot) > 1e-3) {
            throw new IllegalArgumentException("rowDirection and columnDirection must be orthogonal, dot product is " + dot);
        }
        this.normal = cross(this.rowDirection, this.columnDirection);
        this.rowSpacing = positive("rowSpacing", rowSpacing);
        this.columnSpacing = positive("columnSpacing", columnSpacing);
        this.sliceSpacing = positive("sliceSpacing", sliceSpacing);
    }

    public double[] origin() {
        return origin.clone();
    }

    public double[] rowDirection() {
        return rowDirection.clone();
    }

    public double[] columnDirection() {
        return columnDirection.clone();
    }

    public double[] normal() {
        return normal.clone();
    }

    public double rowSpacing() {
        return rowSpacing;
    }

    public double columnSpacing() {
        return columnSpacing;
    }

    public double sliceSpacing() {
        return sliceSpacing;
    }

    /** Voxel volume in mL (cm³), e.g. to turn a voxel count into a liver volume. */
    public double voxelVolumeMl() {
        return rowSpacing * columnSpacing * sliceSpacing / 1000.0;
    }

    /** Patient (LPS, mm) position of the centre of voxel (column i, row j, slice k); fractional indices allowed. */
    public double[] voxelToPatient(double i, double j, double k) {
        double[] p = new double[3];
        for (int a = 0; a < 3; a++) {
            p[a] = origin[a] + i * columnSpacing * rowDirection[a] + j * rowSpacing * columnDirection[a]
                    + k * sliceSpacing * normal[a];
        }
        return p;
    }

    /** Continuous voxel index (i, j, k) of a patient position: the inverse of {@link #voxelToPatient}. */
    public double[] patientToVoxel(double x, double y, double z) {
        double[] d = {x - origin[0], y - origin[1], z - origin[2]};
        return new double[] {dot(d, rowDirection) / columnSpacing, dot(d, columnDirection) / rowSpacing,
                dot(d, normal) / sliceSpacing};
    }

    /** Image Position Patient of slice k (the centre of its first pixel). */
    public double[] slicePosition(int k) {
        return voxelToPatient(0, 0, k);
    }

    /** 4x4 row-major voxel (i, j, k, 1) to LPS affine. */
    public double[][] affineLps() {
        double[][] m = new double[4][4];
        for (int a = 0; a < 3; a++) {
            m[a][0] = rowDirection[a] * columnSpacing;
            m[a][1] = columnDirection[a] * rowSpacing;
            m[a][2] = normal[a] * sliceSpacing;
            m[a][3] = origin[a];
        }
        m[3][3] = 1;
        return m;
    }

    @Override
    public String toString() {
        return "VolumeGeometry[origin=" + Arrays.toString(origin) + ", rowDirection=" + Arrays.toString(rowDirection)
                + ", columnDirection=" + Arrays.toString(columnDirection) + ", spacing(row,column,slice)=("
                + rowSpacing + ", " + columnSpacing + ", " + sliceSpacing + ")]";
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double[] vector3(String name, double[] v) {
        if (v == null || v.length != 3) {
            throw new IllegalArgumentException(name + " must have 3 components, found " + Arrays.toString(v));
        }
        for (double c : v) {
            if (!Double.isFinite(c)) {
                throw new IllegalArgumentException(name + " must be finite, found " + Arrays.toString(v));
            }
        }
        return v.clone();
    }

    private static double[] unit(String name, double[] v) {
        double[] u = vector3(name, v);
        double n = Math.sqrt(dot(u, u));
        if (Math.abs(n - 1) > 1e-3) {
            throw new IllegalArgumentException(name + " must be a unit vector, found length " + n);
        }
        return new double[] {u[0] / n, u[1] / n, u[2] / n};
    }

    private static double positive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a positive number of mm, found " + v);
        }
        return v;
    }
}
