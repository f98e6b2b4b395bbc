package org.livernode.volume.nifti;

/**
 * NIfTI-1 header layout (byte offsets in the 348-byte header) and the quaternion (qform) maths shared by the
 * reader and the writer.
 */
final class NiftiHeader {

    static final int SIZEOF_HDR = 348;
    static final int DIM = 40;
    static final int DATATYPE = 70;
    static final int BITPIX = 72;
    static final int PIXDIM = 76;
    static final int VOX_OFFSET = 108;
    static final int SCL_SLOPE = 112;
    static final int SCL_INTER = 116;
    static final int XYZT_UNITS = 123;
    static final int DESCRIP = 148;
    static final int QFORM_CODE = 252;
    static final int SFORM_CODE = 254;
    static final int QUATERN_B = 256;
    static final int SROW_X = 280;
    static final int MAGIC = 344;
    /** Header plus the 4-byte extension flag: where a single-file .nii puts its voxels. */
    static final int DATA_OFFSET = 352;

    private NiftiHeader() {
    }

    /** The qform affine: rotation from the quaternion (b, c, d), voxel sizes, qfac (pixdim[0]) and offsets. */
    static double[][] qformAffine(double b, double c, double d, double[] pixdim, double qfac, double[] offset) {
        double a = 1.0 - (b * b + c * c + d * d);
        if (a < 1e-7) {
            double n = Math.sqrt(b * b + c * c + d * d);
            b /= n;
            c /= n;
            d /= n;
            a = 0;
        } else {
            a = Math.sqrt(a);
        }
        double[][] r = {
            {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
            {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
            {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}};
        double q = qfac < 0 ? -1 : 1;
        double[][] m = new double[4][4];
        for (int row = 0; row < 3; row++) {
            m[row][0] = r[row][0] * pixdim[0];
            m[row][1] = r[row][1] * pixdim[1];
            m[row][2] = r[row][2] * pixdim[2] * q;
            m[row][3] = offset[row];
        }
        m[3][3] = 1;
        return m;
    }

    /**
     * Decomposes an affine into quaternion (b, c, d), qfac, voxel sizes and offsets, as {b, c, d, qfac, dx, dy, dz,
     * ox, oy, oz}; null when its 3x3 part is not a scaled rotation (shear), which a qform cannot represent.
     */
    static double[] quaternion(double[][] m) {
        double[] size = new double[3];
        double[][] r = new double[3][3];
        for (int c = 0; c < 3; c++) {
            size[c] = Math.sqrt(m[0][c] * m[0][c] + m[1][c] * m[1][c] + m[2][c] * m[2][c]);
            if (size[c] == 0) {
                return null;
            }
            for (int row = 0; row < 3; row++) {
                r[row][c] = m[row][c] / size[c];
            }
        }
        for (int c1 = 0; c1 < 3; c1++) {
            for (int c2 = c1 + 1; c2 < 3; c2++) {
                double dot = r[0][c1] * r[0][c2] + r[1][c1] * r[1][c2] + r[2][c1] * r[2][c2];
                if (Math.abs(dot) > 1e-4) {
                    return null;
                }
            }
        }
        double det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1])
                - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
                + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
        double qfac = 1;
        if (det < 0) {
            qfac = -1;
            for (int row = 0; row < 3; row++) {
                r[row][2] = -r[row][2];
            }
        }
        double a;
        double b;
        double c;
        double d;
        double trace = r[0][0] + r[1][1] + r[2][2] + 1;
        if (trace > 0.5) {
            a = 0.5 * Math.sqrt(trace);
            b = 0.25 * (r[2][1] - r[1][2]) / a;
            c = 0.25 * (r[0][2] - r[2][0]) / a;
            d = 0.25 * (r[1][0] - r[0][1]) / a;
        } else {
            double xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
            double yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
            double zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
            if (xd > 1) {
                b = 0.5 * Math.sqrt(xd);
                c = 0.25 * (r[0][1] + r[1][0]) / b;
                d = 0.25 * (r[0][2] + r[2][0]) / b;
                a = 0.25 * (r[2][1] - r[1][2]) / b;
            } else if (yd > 1) {
                c = 0.5 * Math.sqrt(yd);
                b = 0.25 * (r[0][1] + r[1][0]) / c;
                d = 0.25 * (r[1][2] + r[2][1]) / c;
                a = 0.25 * (r[0][2] - r[2][0]) / c;
            } else {
                d = 0.5 * Math.sqrt(zd);
                b = 0.25 * (r[0][2] + r[2][0]) / d;
                c = 0.25 * (r[1][2] + r[2][1]) / d;
                a = 0.25 * (r[1][0] - r[0][1]) / d;
            }
            if (a < 0) {
                b = -b;
                c = -c;
                d = -d;
            }
        }
        return new double[] {b, c, d, qfac, size[0], size[1], size[2], m[0][3], m[1][3], m[2][3]};
    }
}
