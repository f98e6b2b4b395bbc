package org.livernode.dicom.seg;

import org.livernode.dicom.TestCtSlices;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Test-only: known liver-like masks per volume slice and the patient-space points they cover. */
final class SegTestData {

    private SegTestData() {
    }

    /**
     * An asymmetric blob (so a flip or transpose shows) that moves with slice index k; slice 0 and the last slice
     * are empty, as the first and last slices of a real liver are.
     */
    static byte[] truthMask(TestCtSlices ct, int k) {
        byte[] m = new byte[ct.rows * ct.columns];
        if (k == 0 || k == ct.slices - 1) {
            return m;
        }
        for (int r = 0; r < ct.rows; r++) {
            for (int c = 0; c < ct.columns; c++) {
                boolean blob = r >= 2 + k % 3 && r < ct.rows - 3 && c >= 1 && c < 4 + k + r / 3;
                m[r * ct.columns + c] = (byte) (blob ? 1 : 0);
            }
        }
        m[ct.columns - 1] = 1; // a lone corner pixel: first row, last column
        return m;
    }

    static List<Integer> setPixels(byte[] mask) {
        List<Integer> set = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                set.add(i);
            }
        }
        return set;
    }

    /**
     * Patient coordinates (LPS, mm, rounded to 1 micrometre) of the given pixels of a plane: pixel (r, c) lies at
     * position + c * columnSpacing * rowDirection + r * rowSpacing * columnDirection (PixelSpacing = row\column).
     */
    static Set<String> patientPoints(double[] position, double[] orientation, double[] pixelSpacing, int columns,
                                     Collection<Integer> pixels) {
        Set<String> points = new TreeSet<>();
        for (int index : pixels) {
            int r = index / columns;
            int c = index % columns;
            double[] p = new double[3];
            for (int a = 0; a < 3; a++) {
                p[a] = position[a] + c * pixelSpacing[1] * orientation[a] + r * pixelSpacing[0] * orientation[3 + a];
            }
            points.add(String.format(Locale.ROOT, "%.3f,%.3f,%.3f", p[0], p[1], p[2]));
        }
        return points;
    }

    /** All points the truth masks cover in the volume. */
    static Set<String> truthPoints(TestCtSlices ct) {
        Set<String> points = new TreeSet<>();
        for (int k = 0; k < ct.slices; k++) {
            points.addAll(patientPoints(ct.position(k), ct.orientation, ct.pixelSpacing, ct.columns,
                    setPixels(truthMask(ct, k))));
        }
        return points;
    }
}
