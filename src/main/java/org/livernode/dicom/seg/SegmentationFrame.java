package org.livernode.dicom.seg;

/**
 * One frame of a BINARY Segmentation: its 1-based frame number, the segment it belongs to, the source image it
 * was derived from (null if the frame names none), where it lies (Image Position Patient, mm) and its mask
 * (Rows*Columns values of 0 or 1, row-major).
 */
public record SegmentationFrame(int frameNumber, int segmentNumber, String referencedSopInstanceUid,
                                double[] imagePositionPatient, byte[] mask) {

    public int pixelCount() {
        int n = 0;
        for (byte b : mask) {
            n += b;
        }
        return n;
    }
}
