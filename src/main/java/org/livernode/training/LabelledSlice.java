package org.livernode.training;

/**
 * One training/evaluation sample: an axial CT slice in HU with its liver mask.
 *
 * @param caseId          the volume (patient scan) it comes from: splits and per-case metrics group by it
 * @param hu              rows*columns HU, row-major
 * @param liverMask       rows*columns, 1 = liver, 0 = not
 * @param rowSpacingMm    distance between rows in mm (1.0 when the source does not know it)
 * @param columnSpacingMm distance between columns in mm
 */
public record LabelledSlice(String caseId, int rows, int columns, float[] hu, byte[] liverMask,
                            double rowSpacingMm, double columnSpacingMm) {

    public LabelledSlice {
        if (caseId == null || caseId.isBlank()) {
            throw new IllegalArgumentException("caseId must not be blank");
        }
        if (rows <= 0 || columns <= 0) {
            throw new IllegalArgumentException("rows and columns must be > 0, found " + rows + "x" + columns);
        }
        if (hu.length != rows * columns) {
            throw new IllegalArgumentException("hu must have rows*columns = " + rows * columns + " values, found " + hu.length);
        }
        if (liverMask.length != rows * columns) {
            throw new IllegalArgumentException("liverMask must have rows*columns = " + rows * columns + " values, found " + liverMask.length);
        }
        if (!(rowSpacingMm > 0) || !(columnSpacingMm > 0)) {
            throw new IllegalArgumentException("spacing must be > 0 mm, found " + rowSpacingMm + " x " + columnSpacingMm);
        }
    }

    public int liverPixels() {
        int n = 0;
        for (byte b : liverMask) {
            n += b != 0 ? 1 : 0;
        }
        return n;
    }
}
