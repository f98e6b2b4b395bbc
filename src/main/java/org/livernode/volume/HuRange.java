package org.livernode.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.TagFromName;

import java.util.Locale;

/**
 * Whether a slice's Rescale Slope and Intercept give Hounsfield units: finite, a positive slope of at most
 * {@link #MAX_SLOPE}, an intercept within +-{@link #MAX_INTERCEPT}, and once decoded at least
 * {@link #MIN_PLAUSIBLE_FRACTION} of the pixels between {@link #LOW_HU} and {@link #HIGH_HU} (air, tissue, bone
 * and contrast; a real CT slice's padding outside the field of view covers about a fifth of it).
 */
final class HuRange {

    static final double MAX_SLOPE = 1000;
    static final double MAX_INTERCEPT = 100_000;
    static final float LOW_HU = -1100;
    static final float HIGH_HU = 3000;
    static final double MIN_PLAUSIBLE_FRACTION = 0.5;

    private HuRange() {
    }

    static void checkRescale(SliceHeader s) {
        double slope = slope(s);
        double intercept = intercept(s);
        if (!(Double.isFinite(slope) && slope > 0 && slope <= MAX_SLOPE && Double.isFinite(intercept)
                && Math.abs(intercept) <= MAX_INTERCEPT)) {
            throw new VolumeException(String.format(Locale.ROOT, "rule 'Rescale Slope in (0, %s] and Rescale Intercept "
                    + "within +-%s give Hounsfield units' failed for %s: Rescale Slope '%s', Rescale Intercept '%s'",
                    fmt(MAX_SLOPE), fmt(MAX_INTERCEPT), s.where(), SliceHeader.string(s.list, TagFromName.RescaleSlope),
                    SliceHeader.string(s.list, TagFromName.RescaleIntercept)));
        }
    }

    static void checkDecoded(SliceHeader s, float[] hu) {
        long plausible = 0;
        for (float v : hu) {
            if (v >= LOW_HU && v <= HIGH_HU) {
                plausible++;
            }
        }
        double fraction = hu.length == 0 ? 0 : plausible / (double) hu.length;
        if (fraction < MIN_PLAUSIBLE_FRACTION) {
            throw new VolumeException(String.format(Locale.ROOT, "rule 'at least %.0f %% of a slice's pixels lie within "
                    + "[%.0f, %.0f] HU' failed for %s: %.1f %% do with Rescale Slope %s and Rescale Intercept %s (not "
                    + "Hounsfield units)", MIN_PLAUSIBLE_FRACTION * 100, LOW_HU, HIGH_HU, s.where(), fraction * 100,
                    fmt(slope(s)), fmt(intercept(s))));
        }
    }

    static double slope(SliceHeader s) {
        return Attribute.getSingleDoubleValueOrDefault(s.list, TagFromName.RescaleSlope, 1.0);
    }

    static double intercept(SliceHeader s) {
        return Attribute.getSingleDoubleValueOrDefault(s.list, TagFromName.RescaleIntercept, 0.0);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
