package org.livernode.dicom.seg;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Segmentation read back by {@link SegmentationReader}. */
public record DecodedSegmentation(String sopInstanceUid, String seriesInstanceUid, String studyInstanceUid,
                                  String frameOfReferenceUid, int rows, int columns,
                                  double[] imageOrientationPatient, double[] pixelSpacing,
                                  Map<Integer, String> segmentLabels, List<SegmentationFrame> frames) {

    public DecodedSegmentation {
        segmentLabels = Map.copyOf(segmentLabels);
        frames = List.copyOf(frames);
    }

    /** Masks of one segment keyed by the SOP Instance UID of the source image each frame references. */
    public Map<String, byte[]> masksByReferencedSopInstanceUid(int segmentNumber) {
        Map<String, byte[]> masks = new LinkedHashMap<>();
        for (SegmentationFrame f : frames) {
            if (f.segmentNumber() == segmentNumber && f.referencedSopInstanceUid() != null) {
                masks.put(f.referencedSopInstanceUid(), f.mask());
            }
        }
        return masks;
    }
}
