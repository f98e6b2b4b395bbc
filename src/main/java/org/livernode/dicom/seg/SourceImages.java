package org.livernode.dicom.seg;

import org.livernode.dicom.attributes.Attributes;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import org.livernode.dicom.vocabulary.Uids;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sources of a Segmentation, checked to form one plane-parallel stack: the source images (instances: one
 * series of one study, one Frame of Reference or none at all, same Rows/Columns) and the source frames in SEG frame
 * order (same Image Orientation and Pixel Spacing, distinct positions along the normal), with one 0/1 mask each.
 */
final class SourceImages {

    private static final double ORIENTATION_TOLERANCE = 1e-4;
    private static final double POSITION_TOLERANCE_MM = 1e-3;

    /** The source instances, each once, in the order first named; the first gives patient and study. */
    final List<AttributeList> instances;
    final List<SourceFrame> frames;
    /** The masks as bits (1/8 of the memory of the byte masks: a long series stays small). */
    final List<BitSet> masks;
    final int rows;
    final int columns;
    final double[] orientation;
    final double[] pixelSpacing;
    final double[] normal;
    /** Projection of each frame's Image Position Patient on the normal (mm). */
    final double[] normalPositions;
    final double sliceThickness;
    /** The sources' Frame of Reference UID, or null when they have none (then the SEG has none either). */
    final String frameOfReferenceUid;
    private final Map<String, AttributeList> bySopInstanceUid;

    /**
     * @param headers source image headers (repeats of one instance are allowed and count once)
     * @param frames  the frames in SEG order, or null for every frame of every header in the given order
     */
    SourceImages(List<AttributeList> headers, List<SourceFrame> frames, List<byte[]> masks) {
        if (headers == null || headers.isEmpty()) {
            throw new SegmentationException("sourceImages: at least one source image is required, found "
                    + (headers == null ? "null" : "0"));
        }
        bySopInstanceUid = new LinkedHashMap<>();
        Map<String, Integer> firstNamed = new HashMap<>();
        for (int k = 0; k < headers.size(); k++) {
            AttributeList h = headers.get(k);
            for (AttributeTag tag : new AttributeTag[] {TagFromName.SOPClassUID, TagFromName.SOPInstanceUID,
                    TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID}) {
                requireUid(k, h, tag);
            }
            String uid = Attributes.string(h, TagFromName.SOPInstanceUID);
            Integer previous = firstNamed.putIfAbsent(uid, k);
            if (previous != null && frames == null) {
                // Without explicit frames each header is a slice: the same instance twice is a caller's mistake.
                throw new SegmentationException("sourceImages[" + k + "]: SOPInstanceUID must be unique, found the same as "
                        + "sourceImages[" + previous + "]: " + uid);
            }
            bySopInstanceUid.putIfAbsent(uid, h);
        }
        this.instances = List.copyOf(bySopInstanceUid.values());
        AttributeList first = instances.get(0);
        String forUid = Attributes.string(first, TagFromName.FrameOfReferenceUID);
        if (forUid != null && !Uids.isValid(forUid)) {
            throw new SegmentationException("sourceImages[0]: FrameOfReferenceUID must be a UID, found '" + forUid + "'");
        }
        this.frameOfReferenceUid = forUid;
        rows = requirePositiveInt(0, first, TagFromName.Rows);
        columns = requirePositiveInt(0, first, TagFromName.Columns);
        for (int k = 0; k < instances.size(); k++) {
            AttributeList h = instances.get(k);
            same(k, h, first, TagFromName.StudyInstanceUID, "one study");
            same(k, h, first, TagFromName.SeriesInstanceUID, "one series");
            same(k, h, first, TagFromName.FrameOfReferenceUID, "one Frame of Reference, or none for all");
            int r = requirePositiveInt(k, h, TagFromName.Rows);
            int c = requirePositiveInt(k, h, TagFromName.Columns);
            if (r != rows || c != columns) {
                throw new SegmentationException("sourceImages[" + k + "]: Rows x Columns must equal the first source's "
                        + rows + "x" + columns + ", found " + r + "x" + c);
            }
        }
        this.frames = List.copyOf(frames != null ? frames : everyFrame(headers));
        if (this.frames.isEmpty()) {
            throw new SegmentationException("sourceFrames: at least one source frame is required, found 0");
        }
        if (masks == null || masks.size() != this.frames.size()) {
            throw new SegmentationException("masks: one mask per source frame is required, found "
                    + (masks == null ? "null" : masks.size()) + " masks for " + this.frames.size() + " source frames");
        }
        SourceFrame f0 = this.frames.get(0);
        orientation = f0.imageOrientationPatient();
        pixelSpacing = f0.pixelSpacing();
        normal = cross(orientation);
        normalPositions = new double[this.frames.size()];
        Map<String, Integer> seen = new HashMap<>();
        for (int k = 0; k < this.frames.size(); k++) {
            SourceFrame f = this.frames.get(k);
            checkFrame(k, f);
            Integer previous = seen.put(f.sopInstanceUid() + "#" + f.referencedFrameNumber(), k);
            if (previous != null) {
                throw new SegmentationException("sourceFrames[" + k + "]: each source frame must be named once, found "
                        + f.sopInstanceUid() + frameSuffix(f) + " also as sourceFrames[" + previous + "]");
            }
            normalPositions[k] = dot(f.imagePositionPatient(), normal);
            for (int j = 0; j < k; j++) {
                if (Math.abs(normalPositions[k] - normalPositions[j]) < POSITION_TOLERANCE_MM) {
                    throw new SegmentationException("sourceFrames[" + k + "]: ImagePositionPatient must lie on its own plane "
                            + "along the slice normal, found " + fmt(f.imagePositionPatient()) + " on the plane of sourceFrames[" + j + "]");
                }
            }
        }
        List<BitSet> checked = new ArrayList<>(masks.size());
        for (int k = 0; k < masks.size(); k++) {
            checked.add(checkMask(k, masks.get(k)));
        }
        this.masks = List.copyOf(checked);
        sliceThickness = sliceThickness();
    }

    int size() {
        return frames.size();
    }

    boolean isEmpty(int k) {
        return masks.get(k).isEmpty();
    }

    /** The header of the instance source frame k is in. */
    AttributeList instanceOf(int k) {
        return bySopInstanceUid.get(frames.get(k).sopInstanceUid());
    }

    private static List<SourceFrame> everyFrame(List<AttributeList> headers) {
        List<SourceFrame> all = new ArrayList<>();
        for (int k = 0; k < headers.size(); k++) {
            try {
                all.addAll(SourceFrame.framesOf(headers.get(k)));
            } catch (SegmentationException e) {
                throw new SegmentationException("sourceImages[" + k + "]: " + e.getMessage(), e);
            }
        }
        return all;
    }

    private void checkFrame(int k, SourceFrame f) {
        AttributeList instance = bySopInstanceUid.get(f.sopInstanceUid());
        if (instance == null) {
            throw new SegmentationException("sourceFrames[" + k + "]: must be a frame of one of the source images, found "
                    + f.sopInstanceUid() + ", which none of them is");
        }
        String sopClass = Attributes.string(instance, TagFromName.SOPClassUID);
        if (!sopClass.equals(f.sopClassUid())) {
            throw new SegmentationException("sourceFrames[" + k + "]: SOPClassUID must be its image's " + sopClass
                    + ", found " + f.sopClassUid());
        }
        int count = Attribute.getSingleIntegerValueOrDefault(instance, TagFromName.NumberOfFrames, 1);
        if (f.referencedFrameNumber() > count) {
            throw new SegmentationException("sourceFrames[" + k + "]: referencedFrameNumber must be at most the image's "
                    + "NumberOfFrames " + count + ", found " + f.referencedFrameNumber());
        }
        sameVector(k, f.imageOrientationPatient(), orientation, "ImageOrientationPatient", ORIENTATION_TOLERANCE);
        sameVector(k, f.pixelSpacing(), pixelSpacing, "PixelSpacing", 1e-6);
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

    /**
     * The first frame's Slice Thickness, else the smallest spacing between the frames, else the source's Spacing
     * Between Slices (Pixel Measures needs one; many anonymised or research exports leave Slice Thickness out).
     */
    private double sliceThickness() {
        double t = frames.get(0).sliceThickness();
        if (t > 0) {
            return t;
        }
        if (size() >= 2) {
            double[] sorted = normalPositions.clone();
            Arrays.sort(sorted);
            double min = Double.MAX_VALUE;
            for (int k = 1; k < sorted.length; k++) {
                min = Math.min(min, sorted[k] - sorted[k - 1]);
            }
            return min;
        }
        double[] spacing = DicomAttributes.doubles(instances.get(0), TagFromName.SpacingBetweenSlices);
        if (spacing != null && spacing.length == 1 && spacing[0] > 0 && Double.isFinite(spacing[0])) {
            return spacing[0];
        }
        throw new SegmentationException("sourceImages[0]: SliceThickness (or SpacingBetweenSlices) is required for a "
                + "single-slice source, found neither");
    }

    private static String frameSuffix(SourceFrame f) {
        return f.isFrameOfMultiFrameImage() ? " frame " + f.referencedFrameNumber() : "";
    }

    private static void requireUid(int k, AttributeList h, AttributeTag tag) {
        String v = Attributes.string(h, tag);
        if (v == null) {
            throw new SegmentationException("sourceImages[" + k + "]: " + DicomAttributes.name(tag)
                    + " is required (the SEG references it), found none");
        }
        if (!Uids.isValid(v)) {
            throw new SegmentationException("sourceImages[" + k + "]: " + DicomAttributes.name(tag)
                    + " must be a UID (digits and dots, at most 64 characters), found '" + v + "'");
        }
    }

    private static int requirePositiveInt(int k, AttributeList h, AttributeTag tag) {
        double[] v = DicomAttributes.doubles(h, tag);
        if (v == null || v.length != 1 || v[0] < 1) {
            throw new SegmentationException("sourceImages[" + k + "]: " + DicomAttributes.name(tag) + " must be a positive integer, found "
                    + (v == null ? "none" : fmt(v)));
        }
        return (int) v[0];
    }

    private static void same(int k, AttributeList h, AttributeList first, AttributeTag tag, String rule) {
        String expected = Attributes.string(first, tag);
        String found = Attributes.string(h, tag);
        if (expected == null ? found != null : !expected.equals(found)) {
            throw new SegmentationException("sourceImages[" + k + "]: " + DicomAttributes.name(tag) + " must equal the first source's "
                    + (expected == null ? "(none)" : expected) + " (" + rule + "), found " + (found == null ? "none" : found));
        }
    }

    private static void sameVector(int k, double[] v, double[] expected, String name, double tolerance) {
        for (int i = 0; i < v.length; i++) {
            if (Math.abs(v[i] - expected[i]) > tolerance) {
                throw new SegmentationException("sourceFrames[" + k + "]: " + name + " must equal the first frame's "
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

    static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.length() == 0 ? "" : "\\").append(DecimalStrings.format(d));
        }
        return sb.toString();
    }
}
