package org.livernode.volume.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * A 3D NIfTI-1 image: dimensions, datatype, voxel spacing, intensity scaling and the voxel-to-world affine.
 *
 * <p>Voxel (i, j, k) is stored at index {@code i + nx * (j + ny * k)}. {@link #affineRas()} maps (i, j, k, 1) to
 * the NIfTI world in RAS+ millimetres (+x towards the patient's right, +y anterior, +z superior): it is the sform
 * when sform_code &gt; 0, else the qform when qform_code &gt; 0, else diag(pixdim) (NIfTI "method 1").
 * {@link #affineLps()} is the same in DICOM's LPS. Values are {@code stored * scl_slope + scl_inter} when
 * scl_slope is not 0, else the stored values. Built by {@link NiftiReader} or {@link #builder(int, int, int)}.
 */
public final class NiftiImage {

    private final int nx;
    private final int ny;
    private final int nz;
    private final NiftiDatatype datatype;
    private final double[] spacing;
    private final double sclSlope;
    private final double sclInter;
    private final int qformCode;
    private final int sformCode;
    private final double[][] affineRas;
    private final String description;
    private final ByteBuffer data;

    NiftiImage(int nx, int ny, int nz, NiftiDatatype datatype, double[] spacing, double sclSlope, double sclInter,
               int qformCode, int sformCode, double[][] affineRas, String description, ByteBuffer data) {
        long expected = (long) nx * ny * nz * datatype.bytesPerVoxel();
        if (nx <= 0 || ny <= 0 || nz <= 0) {
            throw new IllegalArgumentException("dimensions must be positive, found " + nx + "x" + ny + "x" + nz);
        }
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("voxel data must hold nx*ny*nz*" + datatype.bytesPerVoxel() + " = "
                    + expected + " bytes, found " + data.remaining());
        }
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.datatype = datatype;
        this.spacing = spacing.clone();
        this.sclSlope = sclSlope;
        this.sclInter = sclInter;
        this.qformCode = qformCode;
        this.sformCode = sformCode;
        this.affineRas = copy(affineRas);
        this.description = description == null ? "" : description;
        this.data = data.slice().order(data.order());
    }

    public static Builder builder(int nx, int ny, int nz) {
        return new Builder(nx, ny, nz);
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public int nz() {
        return nz;
    }

    public NiftiDatatype datatype() {
        return datatype;
    }

    /** Voxel size (pixdim[1..3]) in mm along i, j, k. */
    public double[] spacing() {
        return spacing.clone();
    }

    public double sclSlope() {
        return sclSlope;
    }

    public double sclInter() {
        return sclInter;
    }

    public int qformCode() {
        return qformCode;
    }

    public int sformCode() {
        return sformCode;
    }

    public String description() {
        return description;
    }

    /** 4x4 row-major voxel (i, j, k, 1) to RAS+ mm. */
    public double[][] affineRas() {
        return copy(affineRas);
    }

    /** 4x4 row-major voxel (i, j, k, 1) to DICOM LPS mm (x and y negated). */
    public double[][] affineLps() {
        double[][] m = copy(affineRas);
        for (int c = 0; c < 4; c++) {
            m[0][c] = -m[0][c];
            m[1][c] = -m[1][c];
        }
        return m;
    }

    /** The stored (unscaled) value of voxel (i, j, k). */
    public double storedValue(int i, int j, int k) {
        return stored(index(i, j, k));
    }

    /** The scaled value of voxel (i, j, k) as float (e.g. HU, label). */
    public float floatValue(int i, int j, int k) {
        return (float) value(index(i, j, k));
    }

    /** The scaled value of voxel (i, j, k) as double. */
    public double doubleValue(int i, int j, int k) {
        return value(index(i, j, k));
    }

    /** The scaled values of slice k: nx*ny floats, index {@code i + nx * j} (row j, column i). */
    public float[] axialSlice(int k) {
        if (k < 0 || k >= nz) {
            throw new IndexOutOfBoundsException("slice k must be in [0, " + nz + "), found " + k);
        }
        float[] s = new float[nx * ny];
        int base = nx * ny * k;
        for (int p = 0; p < s.length; p++) {
            s[p] = (float) value(base + p);
        }
        return s;
    }

    /** The raw voxel bytes in the image's byte order (a read-only view). */
    ByteBuffer data() {
        return data.asReadOnlyBuffer().order(data.order());
    }

    private double value(int index) {
        double v = stored(index);
        return sclSlope == 0 || !Double.isFinite(sclSlope) ? v : v * sclSlope + sclInter;
    }

    private double stored(int index) {
        return switch (datatype) {
            case UINT8 -> data.get(index) & 0xFF;
            case INT8 -> data.get(index);
            case INT16 -> data.getShort(2 * index);
            case UINT16 -> data.getShort(2 * index) & 0xFFFF;
            case INT32 -> data.getInt(4 * index);
            case FLOAT32 -> data.getFloat(4 * index);
            case FLOAT64 -> data.getDouble(8 * index);
        };
    }

    private int index(int i, int j, int k) {
        if (i < 0 || i >= nx || j < 0 || j >= ny || k < 0 || k >= nz) {
            throw new IndexOutOfBoundsException("voxel (" + i + ", " + j + ", " + k + ") is outside " + nx + "x" + ny
                    + "x" + nz);
        }
        return i + nx * (j + ny * k);
    }

    static double[][] copy(double[][] m) {
        if (m == null || m.length != 4) {
            throw new IllegalArgumentException("affine must be 4x4, found " + Arrays.deepToString(m));
        }
        double[][] c = new double[4][];
        for (int r = 0; r < 4; r++) {
            if (m[r].length != 4) {
                throw new IllegalArgumentException("affine must be 4x4, found " + Arrays.deepToString(m));
            }
            c[r] = m[r].clone();
        }
        return c;
    }

    /** Builds an image to write: values are given scaled (e.g. HU) and stored as (value - inter) / slope. */
    public static final class Builder {
        private final int nx;
        private final int ny;
        private final int nz;
        private NiftiDatatype datatype = NiftiDatatype.FLOAT32;
        private double[][] affineRas;
        private double sclSlope = 1;
        private double sclInter = 0;
        private int xformCode = 1;
        private String description = "livernode";
        private IntToDoubleFunction values;

        private Builder(int nx, int ny, int nz) {
            this.nx = nx;
            this.ny = ny;
            this.nz = nz;
        }

        public Builder setDatatype(NiftiDatatype t) {
            this.datatype = t;
            return this;
        }

        /** Voxel to RAS+ affine (4x4 row-major); default diag(1, 1, 1). */
        public Builder setAffineRas(double[][] m) {
            this.affineRas = copy(m);
            return this;
        }

        /** Voxel to DICOM LPS affine, converted to RAS. */
        public Builder setAffineLps(double[][] m) {
            double[][] ras = copy(m);
            for (int c = 0; c < 4; c++) {
                ras[0][c] = -ras[0][c];
                ras[1][c] = -ras[1][c];
            }
            this.affineRas = ras;
            return this;
        }

        /** scl_slope and scl_inter (slope must not be 0). */
        public Builder setScaling(double slope, double inter) {
            if (slope == 0 || !Double.isFinite(slope) || !Double.isFinite(inter)) {
                throw new IllegalArgumentException("scl_slope must be finite and non-zero and scl_inter finite, "
                        + "found " + slope + " and " + inter);
            }
            this.sclSlope = slope;
            this.sclInter = inter;
            return this;
        }

        /** qform_code and sform_code written (1 = scanner anatomical, 2 = aligned anatomical...). */
        public Builder setXformCode(int code) {
            if (code < 1 || code > 4) {
                throw new IllegalArgumentException("xform code must be 1..4, found " + code);
            }
            this.xformCode = code;
            return this;
        }

        public Builder setDescription(String d) {
            this.description = d;
            return this;
        }

        /** Values by voxel index {@code i + nx * (j + ny * k)}. */
        public Builder setValues(IntToDoubleFunction valueAtIndex) {
            this.values = valueAtIndex;
            return this;
        }

        public Builder setValues(float[] v) {
            checkLength(v.length);
            return setValues(p -> v[p]);
        }

        public Builder setValues(byte[] v) {
            checkLength(v.length);
            return setValues(p -> v[p]);
        }

        public NiftiImage build() {
            if (values == null) {
                throw new IllegalStateException("values must be set before build()");
            }
            double[][] affine = affineRas != null ? affineRas
                    : new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
            long n = (long) nx * ny * nz;
            long bytes = n * datatype.bytesPerVoxel();
            if (bytes > Integer.MAX_VALUE - 1024) {
                throw new IllegalArgumentException("image too large for one buffer: " + bytes + " bytes");
            }
            ByteBuffer data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p < n; p++) {
                double stored = (values.applyAsDouble(p) - sclInter) / sclSlope;
                put(data, p, stored);
            }
            double[] spacing = new double[3];
            for (int c = 0; c < 3; c++) {
                spacing[c] = Math.sqrt(affine[0][c] * affine[0][c] + affine[1][c] * affine[1][c]
                        + affine[2][c] * affine[2][c]);
            }
            return new NiftiImage(nx, ny, nz, datatype, spacing, sclSlope, sclInter, xformCode, xformCode, affine,
                    description, data);
        }

        private void put(ByteBuffer data, int p, double stored) {
            if (datatype.isInteger()) {
                double r = Math.rint(stored);
                if (r < datatype.minValue() || r > datatype.maxValue()) {
                    throw new IllegalArgumentException("voxel " + p + " stores " + stored + ", outside the range of "
                            + datatype + " [" + datatype.minValue() + ", " + datatype.maxValue() + "]");
                }
                stored = r;
            }
            switch (datatype) {
                case UINT8, INT8 -> data.put(p, (byte) (long) stored);
                case INT16, UINT16 -> data.putShort(2 * p, (short) (long) stored);
                case INT32 -> data.putInt(4 * p, (int) (long) stored);
                case FLOAT32 -> data.putFloat(4 * p, (float) stored);
                case FLOAT64 -> data.putDouble(8 * p, stored);
                default -> throw new IllegalStateException("unhandled datatype " + datatype);
            }
        }

        private void checkLength(int length) {
            if ((long) length != (long) nx * ny * nz) {
                throw new IllegalArgumentException("values must hold nx*ny*nz = " + (long) nx * ny * nz
                        + " voxels, found " + length);
            }
        }
    }
}
