package org.livernode.dicom.seg;

/**
 * One frame of one segment of a Segmentation: its 1-based frame number, the segment it belongs to, the source image
 * it was derived from (null if the frame names none) and that image's frame ({@code referencedFrameNumber}, 0 when
 * none is named: a single-frame source), where it lies (Image Position Patient, mm, or null) and its mask
 * (Rows*Columns values of 0 or 1, row-major). A LABELMAP frame gives one of these per segment it describes.
 */
public record SegmentationFrame(int frameNumber, int segmentNumber, String referencedSopInstanceUid,
                                int referencedFrameNumber, double[] imagePositionPatient, byte[] mask) {

    public int pixelCount() {
        int n = 0;
        for (byte b : mask) {
            n += b;
        }
        return n;
    }
}
