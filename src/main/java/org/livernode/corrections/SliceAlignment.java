package org.livernode.corrections;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.TagFromName;
import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.dicom.seg.SegmentationFrame;
import org.livernode.volume.CtSeries;

import java.util.HashMap;
import java.util.Map;

/**
 * Places a Segmentation's frames of one segment on the slices of the CT series it was made on: by the frame's Source
 * Image (SOP Instance UID, and Referenced Frame Number for an Enhanced CT frame), else by its Image Position Patient
 * on the CT's Frame of Reference. Frames are never resampled: a SEG on another grid (size, orientation, a position
 * between slices) cannot be measured, and the reason says which value differs.
 */
public final class SliceAlignment {

    private SliceAlignment() {
    }

    /** The segment's mask on every CT slice, in volume order (empty where the SEG has no frame). */
    public static byte[][] masks(CtSeries ct, DecodedSegmentation seg, int segmentNumber) throws NotMeasurable {
        if (seg.rows() != ct.rows() || seg.columns() != ct.columns()) {
            throw new NotMeasurable("its frames are " + seg.columns() + "x" + seg.rows() + ", the CT slices "
                    + ct.columns() + "x" + ct.rows());
        }
        double[] orientation = seg.imageOrientationPatient();
        double[] row = ct.geometry().rowDirection();
        double[] column = ct.geometry().columnDirection();
        double[] ctOrientation = {row[0], row[1], row[2], column[0], column[1], column[2]};
        for (int i = 0; orientation != null && orientation.length == 6 && i < 6; i++) {
            if (Math.abs(orientation[i] - ctOrientation[i]) > 1e-3) {
                throw new NotMeasurable("its Image Orientation Patient " + java.util.Arrays.toString(orientation)
                        + " is not the CT's " + java.util.Arrays.toString(ctOrientation));
            }
        }
        Map<String, Integer> bySource = new HashMap<>();
        for (int k = 0; k < ct.sliceCount(); k++) {
            bySource.put(ct.sopInstanceUids().get(k) + "#" + ct.frameNumber(k), k);
        }
        String ctFrameOfReference = Attribute.getSingleStringValueOrEmptyString(ct.headers().get(0),
                TagFromName.FrameOfReferenceUID).trim();
        int pixels = ct.rows() * ct.columns();
        byte[][] masks = new byte[ct.sliceCount()][];
        for (SegmentationFrame f : seg.framesOf(segmentNumber)) {
            Integer k = f.referencedSopInstanceUid() == null ? null
                    : bySource.get(f.referencedSopInstanceUid() + "#" + f.referencedFrameNumber());
            if (k == null && f.referencedSopInstanceUid() != null && f.referencedFrameNumber() == 1) {
                k = bySource.get(f.referencedSopInstanceUid() + "#0"); // frame 1 of a single-frame image
            }
            if (k == null && f.imagePositionPatient() != null && !ctFrameOfReference.isEmpty()
                    && ctFrameOfReference.equals(seg.frameOfReferenceUid())) {
                k = byPosition(ct, f.imagePositionPatient());
            }
            if (k == null) {
                if (f.pixelCount() == 0) {
                    continue; // an empty frame elsewhere (e.g. on a localizer the node left out) changes nothing
                }
                throw new NotMeasurable("frame " + f.frameNumber() + " lies on no slice of CT series: its source "
                        + (f.referencedSopInstanceUid() == null ? "is not named" : "image " + f.referencedSopInstanceUid()
                        + " frame " + f.referencedFrameNumber() + " is not one")
                        + ", and its position " + position(f.imagePositionPatient()) + " on Frame of Reference "
                        + seg.frameOfReferenceUid() + " is on none of them (CT Frame of Reference " + ctFrameOfReference + ")");
            }
            if (masks[k] == null) {
                masks[k] = f.mask().clone();
            } else {
                for (int i = 0; i < pixels; i++) {
                    masks[k][i] |= f.mask()[i];
                }
            }
        }
        for (int k = 0; k < masks.length; k++) {
            if (masks[k] == null) {
                masks[k] = new byte[pixels];
            }
        }
        return masks;
    }

    /** The slice whose Image Position Patient is within a fraction of the slice spacing of {@code ipp}, or null. */
    private static Integer byPosition(CtSeries ct, double[] ipp) {
        double tolerance = Math.min(0.5, 0.4 * ct.geometry().sliceSpacing());
        for (int k = 0; k < ct.sliceCount(); k++) {
            double[] p = ct.position(k);
            double dx = p[0] - ipp[0];
            double dy = p[1] - ipp[1];
            double dz = p[2] - ipp[2];
            if (Math.sqrt(dx * dx + dy * dy + dz * dz) <= tolerance) {
                return k;
            }
        }
        return null;
    }

    private static String position(double[] ipp) {
        return ipp == null ? "(none)" : ipp[0] + "\\" + ipp[1] + "\\" + ipp[2];
    }

    /** Why a Segmentation cannot be measured against the node's on the CT's slices. */
    public static final class NotMeasurable extends Exception {
        public NotMeasurable(String message) {
            super(message);
        }
    }
}
