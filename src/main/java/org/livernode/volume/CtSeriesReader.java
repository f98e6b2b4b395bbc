package org.livernode.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the files of one stored CT series into a validated, sorted {@link CtSeries}.
 *
 * <p>Slices are sorted by Image Position Patient projected on the slice normal (never by Instance Number or file
 * name). A series is refused with a {@link VolumeException} naming the rule and the value found when it is not a
 * single-frame greyscale CT, lacks geometry, mixes orientations, pixel spacings or matrix sizes, is tilted, has
 * duplicate positions, a gap (missing slices) or uneven spacing beyond the tolerance.
 */
public final class CtSeriesReader {

    /** Default relative tolerance on slice spacing: each gap may differ from the median by 1 %. */
    public static final double DEFAULT_SPACING_TOLERANCE = 0.01;

    private static final double ORIENTATION_TOLERANCE = 1e-4;
    private static final double TILT_TOLERANCE_DEGREES = 0.01;
    /** Largest in-plane drift of the slice stack per mm along the normal (0.3 degrees). */
    private static final double STACKING_TOLERANCE = 0.005;

    /** (0018,1120) Gantry/Detector Tilt: not in PixelMed's TagFromName. */
    private static final AttributeTag GANTRY_DETECTOR_TILT = new AttributeTag(0x0018, 0x1120);

    private final double spacingTolerance;

    private CtSeriesReader(double spacingTolerance) {
        if (!(spacingTolerance >= 0 && spacingTolerance < 0.5)) {
            throw new IllegalArgumentException("spacingTolerance must be in [0, 0.5), found " + spacingTolerance);
        }
        this.spacingTolerance = spacingTolerance;
    }

    /** Reads with {@link #DEFAULT_SPACING_TOLERANCE}. */
    public static CtSeries read(List<Path> files) {
        return new CtSeriesReader(DEFAULT_SPACING_TOLERANCE).readSeries(files);
    }

    /** Reads with a relative slice spacing tolerance (0.01 = 1 %). */
    public static CtSeries read(List<Path> files, double spacingTolerance) {
        return new CtSeriesReader(spacingTolerance).readSeries(files);
    }

    private CtSeries readSeries(List<Path> files) {
        if (files == null || files.isEmpty()) {
            throw new VolumeException("rule 'a series has at least one file' failed: no files given");
        }
        List<SliceHeader> slices = new ArrayList<>(files.size());
        for (Path f : files) {
            slices.add(SliceHeader.read(f));
        }
        SliceHeader first = slices.get(0);
        for (SliceHeader s : slices) {
            checkSameAsFirst(first, s);
        }
        double[] rowDir = Arrays.copyOfRange(first.orientation, 0, 3);
        double[] colDir = Arrays.copyOfRange(first.orientation, 3, 6);
        checkOrthonormal(first, rowDir, colDir);
        double[] normal = VolumeGeometry.cross(rowDir, colDir);

        slices.sort(Comparator.comparingDouble(s -> VolumeGeometry.dot(s.position, normal)));
        double sliceSpacing = slices.size() == 1 ? singleSliceSpacing(first) : measuredSpacing(slices, normal);
        SliceHeader origin = slices.get(0);
        VolumeGeometry geometry = new VolumeGeometry(origin.position, rowDir, colDir,
                origin.pixelSpacing[0], origin.pixelSpacing[1], sliceSpacing);
        return new CtSeries(first.rows, first.columns, geometry, slices);
    }

    private static void checkSameAsFirst(SliceHeader first, SliceHeader s) {
        if (s.rows != first.rows || s.columns != first.columns) {
            throw new VolumeException("rule 'all slices have the same Rows x Columns' failed: " + first.file + " is "
                    + first.rows + "x" + first.columns + ", " + s.file + " is " + s.rows + "x" + s.columns);
        }
        for (int a = 0; a < 6; a++) {
            if (Math.abs(s.orientation[a] - first.orientation[a]) > ORIENTATION_TOLERANCE) {
                throw new VolumeException("rule 'all slices have the same Image Orientation Patient' failed (mixed "
                        + "orientations): " + first.file + " has " + Arrays.toString(first.orientation) + ", " + s.file
                        + " has " + Arrays.toString(s.orientation));
            }
        }
        for (int a = 0; a < 2; a++) {
            if (Math.abs(s.pixelSpacing[a] - first.pixelSpacing[a]) > 1e-4 * first.pixelSpacing[a]) {
                throw new VolumeException("rule 'all slices have the same Pixel Spacing' failed: " + first.file
                        + " has " + Arrays.toString(first.pixelSpacing) + ", " + s.file + " has "
                        + Arrays.toString(s.pixelSpacing));
            }
        }
        sameUid(first, s, TagFromName.SeriesInstanceUID, "Series Instance UID");
        sameUid(first, s, TagFromName.FrameOfReferenceUID, "Frame of Reference UID");
        double tilt = Attribute.getSingleDoubleValueOrDefault(s.list, GANTRY_DETECTOR_TILT, 0);
        if (Math.abs(tilt) > TILT_TOLERANCE_DEGREES) {
            throw new VolumeException("rule 'no gantry tilt' failed for " + s.file + ": Gantry/Detector Tilt is "
                    + tilt + " degrees");
        }
    }

    private static void sameUid(SliceHeader first, SliceHeader s, AttributeTag tag, String name) {
        String a = SliceHeader.string(first.list, tag);
        String b = SliceHeader.string(s.list, tag);
        if (!a.equals(b)) {
            throw new VolumeException("rule 'one " + name + " per series' failed: " + first.file + " has '" + a
                    + "', " + s.file + " has '" + b + "'");
        }
    }

    private static void checkOrthonormal(SliceHeader first, double[] rowDir, double[] colDir) {
        double lr = Math.sqrt(VolumeGeometry.dot(rowDir, rowDir));
        double lc = Math.sqrt(VolumeGeometry.dot(colDir, colDir));
        double dot = VolumeGeometry.dot(rowDir, colDir);
        if (Math.abs(lr - 1) > 1e-3 || Math.abs(lc - 1) > 1e-3 || Math.abs(dot) > 1e-3) {
            throw new VolumeException("rule 'Image Orientation Patient holds two orthogonal unit vectors' failed for "
                    + first.file + ": found " + Arrays.toString(first.orientation) + " (lengths " + lr + ", " + lc
                    + ", dot product " + dot + ")");
        }
    }

    private static double singleSliceSpacing(SliceHeader s) {
        double v = Attribute.getSingleDoubleValueOrDefault(s.list, TagFromName.SpacingBetweenSlices, 0);
        if (!(v > 0)) {
            v = Attribute.getSingleDoubleValueOrDefault(s.list, TagFromName.SliceThickness, 0);
        }
        if (!(v > 0)) {
            throw new VolumeException("rule 'a single-slice series states Slice Thickness or Spacing Between Slices' "
                    + "failed for " + s.file + ": neither is present and positive");
        }
        return v;
    }

    /** Checks duplicates, stacking direction, gaps and evenness; returns the mean measured spacing. */
    private double measuredSpacing(List<SliceHeader> sorted, double[] normal) {
        int n = sorted.size();
        double[] gaps = new double[n - 1];
        for (int k = 0; k + 1 < n; k++) {
            SliceHeader a = sorted.get(k);
            SliceHeader b = sorted.get(k + 1);
            gaps[k] = VolumeGeometry.dot(b.position, normal) - VolumeGeometry.dot(a.position, normal);
            if (gaps[k] < 1e-3) {
                throw new VolumeException("rule 'one slice per position' failed (duplicate position): " + a.file
                        + " and " + b.file + " both lie at " + Arrays.toString(a.position) + " along the normal "
                        + Arrays.toString(normal));
            }
        }
        checkStacking(sorted.get(0), sorted.get(n - 1), normal);
        double[] ordered = gaps.clone();
        Arrays.sort(ordered);
        double median = ordered[ordered.length / 2];
        double tolerance = Math.max(spacingTolerance * median, 1e-3);
        for (int k = 0; k < gaps.length; k++) {
            if (Math.abs(gaps[k] - median) <= tolerance) {
                continue;
            }
            long multiple = Math.round(gaps[k] / median);
            String where = " between " + sorted.get(k).file + " and " + sorted.get(k + 1).file;
            if (multiple >= 2 && Math.abs(gaps[k] - multiple * median) <= tolerance * multiple) {
                throw new VolumeException("rule 'no missing slices' failed: a gap of " + gaps[k] + " mm (about "
                        + (multiple - 1) + " missing slice(s) at the usual spacing of " + median + " mm)" + where);
            }
            throw new VolumeException("rule 'even slice spacing within " + (spacingTolerance * 100) + " %' failed: "
                    + "spacing " + gaps[k] + " mm" + where + " differs from the median " + median + " mm");
        }
        double along = VolumeGeometry.dot(sorted.get(n - 1).position, normal)
                - VolumeGeometry.dot(sorted.get(0).position, normal);
        return along / (n - 1);
    }

    /** The slice stack must advance along the normal: an in-plane drift means a tilted (sheared) acquisition. */
    private static void checkStacking(SliceHeader firstSlice, SliceHeader lastSlice, double[] normal) {
        double[] d = new double[3];
        for (int a = 0; a < 3; a++) {
            d[a] = lastSlice.position[a] - firstSlice.position[a];
        }
        double along = VolumeGeometry.dot(d, normal);
        double total = Math.sqrt(VolumeGeometry.dot(d, d));
        double inPlane = Math.sqrt(Math.max(0, total * total - along * along));
        if (inPlane > STACKING_TOLERANCE * along) {
            double degrees = Math.toDegrees(Math.atan2(inPlane, along));
            throw new VolumeException("rule 'slices are stacked along the normal of Image Orientation Patient (no "
                    + "gantry tilt)' failed: the stack drifts " + inPlane + " mm in-plane over " + along
                    + " mm, i.e. tilted by " + degrees + " degrees (" + firstSlice.file + " to " + lastSlice.file + ")");
        }
    }
}
