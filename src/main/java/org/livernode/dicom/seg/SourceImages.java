package org.livernode.dicom.seg;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The source CT slices of a Segmentation, checked to form one plane-parallel stack: same series, study and Frame of
 * Reference, same Rows/Columns, Image Orientation and Pixel Spacing, distinct positions, and one 0/1 mask each.
 */
final class SourceImages {

    private static final double ORIENTATION_TOLERANCE = 1e-4;
    private static final double POSITION_TOLERANCE_MM = 1e-3;

    final List<AttributeList> headers;
    /** The masks as bits (1/8 of the memory of the byte masks: a long series stays small). */
    final List<BitSet> masks;
    final int rows;
    final int columns;
    final double[] normal;
    /** Projection of each slice's Image Position Patient on the normal (mm). */
    final double[] normalPositions;
    final String sliceThickness;

    SourceImages(List<AttributeList> headers, List<byte[]> masks) {
        if (headers == null || headers.isEmpty()) {
            throw new SegmentationException("sourceImages: at least one source image is required, found "
                    + (headers == null ? "null" : "0"));
        }
        if (masks == null || masks.size() != headers.size()) {
            throw new SegmentationException("masks: one mask per source image is required, found "
                    + (masks == null ? "null" : masks.size()) + " masks for " + headers.size() + " source images");
        }
        this.headers = List.copyOf(headers);
        AttributeList first = headers.get(0);
        for (AttributeTag tag : new AttributeTag[] {TagFromName.SOPClassUID, TagFromName.SOPInstanceUID,
                TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID, TagFromName.FrameOfReferenceUID}) {
            for (int k = 0; k < headers.size(); k++) {
                requireText(k, headers.get(k), tag);
            }
        }
        rows = requirePositiveInt(0, first, TagFromName.Rows);
        columns = requirePositiveInt(0, first, TagFromName.Columns);
        double[] orientation = requireDoubles(0, first, TagFromName.ImageOrientationPatient, 6);
        double[] spacing = requireDoubles(0, first, TagFromName.PixelSpacing, 2);
        normal = cross(orientation);
        normalPositions = new double[headers.size()];
        Map<String, Integer> seenUids = new HashMap<>();
        for (int k = 0; k < headers.size(); k++) {
            AttributeList h = headers.get(k);
            same(k, h, first, TagFromName.StudyInstanceUID);
            same(k, h, first, TagFromName.SeriesInstanceUID);
            same(k, h, first, TagFromName.FrameOfReferenceUID);
            int r = requirePositiveInt(k, h, TagFromName.Rows);
            int c = requirePositiveInt(k, h, TagFromName.Columns);
            if (r != rows || c != columns) {
                throw new SegmentationException("sourceImages[" + k + "]: Rows x Columns must equal the first source's "
                        + rows + "x" + columns + ", found " + r + "x" + c);
            }
            sameVector(k, requireDoubles(k, h, TagFromName.ImageOrientationPatient, 6), orientation,
                    "ImageOrientationPatient", ORIENTATION_TOLERANCE);
            sameVector(k, requireDoubles(k, h, TagFromName.PixelSpacing, 2), spacing, "PixelSpacing", 1e-6);
            double[] position = requireDoubles(k, h, TagFromName.ImagePositionPatient, 3);
            normalPositions[k] = dot(position, normal);
            Integer previous = seenUids.put(DicomAttributes.string(h, TagFromName.SOPInstanceUID), k);
            if (previous != null) {
                throw new SegmentationException("sourceImages[" + k + "]: SOPInstanceUID must be unique, found the same as sourceImages["
                        + previous + "]: " + DicomAttributes.string(h, TagFromName.SOPInstanceUID));
            }
            for (int j = 0; j < k; j++) {
                if (Math.abs(normalPositions[k] - normalPositions[j]) < POSITION_TOLERANCE_MM) {
                    throw new SegmentationException("sourceImages[" + k + "]: ImagePositionPatient must lie on its own plane along the slice normal, found "
                            + fmt(position) + " on the plane of sourceImages[" + j + "]");
                }
            }
        }
        List<BitSet> checked = new ArrayList<>(masks.size());
        for (int k = 0; k < masks.size(); k++) {
            checked.add(checkMask(k, masks.get(k)));
        }
        this.masks = List.copyOf(checked);
        sliceThickness = sliceThickness(first);
    }

    int size() {
        return headers.size();
    }

    boolean isEmpty(int k) {
        return masks.get(k).isEmpty();
    }

    private BitSet checkMask(int k, byte[] mask) {
        if (mask == null || mask.length != rows * columns) {
            throw new SegmentationException("masks[" + k + "]: length must be Rows*Columns = " + rows + "*" + columns + " = "
                    + (rows * columns) + ", found " + (mask == null ? "null" : mask.length));
        }
        BitSet bits = new BitSet(mask.length);
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] == 1) {
                bits.set(i);
            } else if (mask[i] != 0) {
                throw new SegmentationException("masks[" + k + "][" + i + "]: a BINARY segmentation value must be 0 or 1, found " + mask[i]);
            }
        }
        return bits;
    }

    /** The source's Slice Thickness, else the spacing measured between the slices (needed by Pixel Measures). */
    private String sliceThickness(AttributeList first) {
        double[] t = DicomAttributes.doubles(first, TagFromName.SliceThickness);
        if (t != null && t.length == 1 && t[0] > 0) {
            return DicomAttributes.string(first, TagFromName.SliceThickness);
        }
        if (size() < 2) {
            throw new SegmentationException("sourceImages[0]: SliceThickness is required for a single-slice source, found "
                    + (t == null ? "none" : fmt(t)));
        }
        double min = Double.MAX_VALUE;
        double[] sorted = normalPositions.clone();
        java.util.Arrays.sort(sorted);
        for (int k = 1; k < sorted.length; k++) {
            min = Math.min(min, sorted[k] - sorted[k - 1]);
        }
        return DicomAttributes.decimalString(min);
    }

    private static void requireText(int k, AttributeList h, AttributeTag tag) {
        if (DicomAttributes.string(h, tag) == null) {
            throw new SegmentationException("sourceImages[" + k + "]: " + name(tag) + " is required, found none");
        }
    }

    private static int requirePositiveInt(int k, AttributeList h, AttributeTag tag) {
        double[] v = DicomAttributes.doubles(h, tag);
        if (v == null || v.length != 1 || v[0] < 1) {
            throw new SegmentationException("sourceImages[" + k + "]: " + name(tag) + " must be a positive integer, found "
                    + (v == null ? "none" : fmt(v)));
        }
        return (int) v[0];
    }

    private static double[] requireDoubles(int k, AttributeList h, AttributeTag tag, int count) {
        double[] v = DicomAttributes.doubles(h, tag);
        if (v == null || v.length != count) {
            throw new SegmentationException("sourceImages[" + k + "]: " + name(tag) + " must hold " + count
                    + " numbers (geometry is required), found " + (v == null ? "none" : fmt(v)));
        }
        return v;
    }

    private static void same(int k, AttributeList h, AttributeList first, AttributeTag tag) {
        String expected = DicomAttributes.string(first, tag);
        String found = DicomAttributes.string(h, tag);
        if (!expected.equals(found)) {
            throw new SegmentationException("sourceImages[" + k + "]: " + name(tag) + " must equal the first source's "
                    + expected + " (one series, one Frame of Reference), found " + found);
        }
    }

    private static void sameVector(int k, double[] v, double[] expected, String name, double tolerance) {
        for (int i = 0; i < v.length; i++) {
            if (Math.abs(v[i] - expected[i]) > tolerance) {
                throw new SegmentationException("sourceImages[" + k + "]: " + name + " must equal the first source's "
                        + fmt(expected) + ", found " + fmt(v));
            }
        }
    }

    private static double[] cross(double[] o) {
        return new double[] {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static String name(AttributeTag tag) {
        String n = com.pixelmed.dicom.DicomDictionary.StandardDictionary.getNameFromTag(tag);
        return n == null ? tag.toString() : n;
    }

    static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.length() == 0 ? "" : "\\").append(DicomAttributes.decimalString(d));
        }
        return sb.toString();
    }
}
