package org.livernode.dicom.synthetic;

/**
 * An analytic abdomen made of ellipsoids and cylinders, in patient coordinates (LPS, mm): x to the patient's left,
 * y posterior, z superior. It is scaled to the field of view it is imaged in, so any matrix and spacing shows a
 * whole body section. The liver sits on the patient's right (negative x), i.e. on the image left in the usual
 * display; spleen on the left, kidneys posterior on both sides, spine and paraspinal muscles posterior midline,
 * all inside subcutaneous fat. Liver, spleen and muscle differ by only 10 HU, so a threshold alone cannot segment it.
 */
public final class AbdomenPhantom {

    public static final float AIR_HU = -1000f;
    public static final float FAT_HU = -100f;
    public static final float SOFT_TISSUE_HU = 20f;
    public static final float MUSCLE_HU = 50f;
    public static final float LIVER_HU = 60f;
    public static final float SPLEEN_HU = 50f;
    public static final float KIDNEY_HU = 30f;
    public static final float AORTA_HU = 45f;
    public static final float BONE_HU = 500f;

    private final double cx;
    private final double cy;
    private final double cz;
    private final double halfWidth;
    private final double halfHeight;
    private final double halfLength;

    /**
     * @param centre     patient position of the phantom's centre (mm)
     * @param halfWidth  half of the field of view along x (mm); the body's half width is 85 % of it
     * @param halfLength half of the imaged length along z (mm); organs are placed relative to it
     */
    public AbdomenPhantom(double[] centre, double halfWidth, double halfLength) {
        if (!(halfWidth > 0) || !(halfLength > 0)) {
            throw new IllegalArgumentException("halfWidth and halfLength must be positive mm, found " + halfWidth
                    + " and " + halfLength);
        }
        this.cx = centre[0];
        this.cy = centre[1];
        this.cz = centre[2];
        this.halfWidth = halfWidth;
        this.halfHeight = halfWidth;
        this.halfLength = halfLength;
    }

    /** Noise-free HU at a patient position. */
    public float hu(double x, double y, double z) {
        double u = (x - cx) / halfWidth;
        double v = (y - cy) / halfHeight;
        double w = (z - cz) / halfLength;
        if (!inEllipse(u, v, 0, 0, 0.85, 0.62)) {
            return AIR_HU;
        }
        if (inCircle(u, v, 0, 0.40, 0.11)) {
            return BONE_HU;
        }
        if (liverInUnits(u, v, w)) {
            return LIVER_HU;
        }
        if (inEllipsoid(u, v, w, 0.45, 0.18, 0.35, 0.17, 0.15, 0.45)) {
            return SPLEEN_HU;
        }
        if (inEllipsoid(u, v, w, -0.32, 0.32, -0.30, 0.11, 0.14, 0.40)
                || inEllipsoid(u, v, w, 0.32, 0.32, -0.35, 0.11, 0.14, 0.40)) {
            return KIDNEY_HU;
        }
        if (inCircle(u, v, 0.08, 0.20, 0.06)) {
            return AORTA_HU;
        }
        if (inEllipse(u, v, -0.17, 0.42, 0.08, 0.09) || inEllipse(u, v, 0.17, 0.42, 0.08, 0.09)) {
            return MUSCLE_HU; // paraspinal muscles
        }
        if (!inEllipse(u, v, 0, 0, 0.76, 0.53)) {
            return FAT_HU;
        }
        return SOFT_TISSUE_HU;
    }

    /** Whether a patient position lies in the liver (the ground truth of the liver mask). */
    public boolean isLiver(double x, double y, double z) {
        return liverInUnits((x - cx) / halfWidth, (y - cy) / halfHeight, (z - cz) / halfLength) && inBody(x, y);
    }

    private boolean inBody(double x, double y) {
        return inEllipse((x - cx) / halfWidth, (y - cy) / halfHeight, 0, 0, 0.85, 0.62);
    }

    private static boolean liverInUnits(double u, double v, double w) {
        // Right lobe (patient right = -x) plus a smaller left lobe reaching across the midline.
        return inEllipsoid(u, v, w, -0.38, 0.0, 0.25, 0.32, 0.34, 0.62)
                || inEllipsoid(u, v, w, -0.05, -0.22, 0.40, 0.22, 0.14, 0.35);
    }

    private static boolean inEllipse(double u, double v, double u0, double v0, double a, double b) {
        double du = (u - u0) / a;
        double dv = (v - v0) / b;
        return du * du + dv * dv <= 1;
    }

    private static boolean inCircle(double u, double v, double u0, double v0, double r) {
        return inEllipse(u, v, u0, v0, r, r);
    }

    private static boolean inEllipsoid(double u, double v, double w, double u0, double v0, double w0,
                                       double a, double b, double c) {
        double du = (u - u0) / a;
        double dv = (v - v0) / b;
        double dw = (w - w0) / c;
        return du * du + dv * dv + dw * dw <= 1;
    }
}
