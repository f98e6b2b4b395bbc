package org.livernode.corrections;

import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.training.SegmentationMetrics;
import org.livernode.volume.CtSeries;
import org.livernode.volume.VolumeGeometry;

/**
 * How the node's SEG agrees with a correction on the CT series both were made on: the liver segment of each placed on
 * the CT's slices ({@link SliceAlignment}), scored by the one metrics home ({@link SegmentationMetrics#ofVolume}: 3D,
 * the CT's pixel spacing and its slices' own positions) and the volumes by the CT's own voxel volumes.
 */
public final class CorrectionMeasurement {

    private CorrectionMeasurement() {
    }

    /** The figures of one corrected case. */
    public record Agreement(int slices, SegmentationMetrics metrics, double aiVolumeMl, double correctedVolumeMl) {
        /** Corrected minus node, mL. */
        public double volumeDifferenceMl() {
            return correctedVolumeMl - aiVolumeMl;
        }
    }

    public static Agreement measure(CtSeries ct, DecodedSegmentation ai, DecodedSegmentation corrected)
            throws SliceAlignment.NotMeasurable {
        byte[][] node = SliceAlignment.masks(ct, ai, ai.liverSegmentNumber());
        byte[][] truth;
        try {
            truth = SliceAlignment.masks(ct, corrected, corrected.liverSegmentNumber());
        } catch (SliceAlignment.NotMeasurable e) {
            throw new SliceAlignment.NotMeasurable("the correction: " + e.getMessage());
        }
        return measure(ct, node, truth);
    }

    /** The figures of two masks already on the CT's slices (node's, correction's). */
    public static Agreement measure(CtSeries ct, byte[][] node, byte[][] corrected) {
        double[] positions = new double[ct.sliceCount()];
        for (int k = 0; k < positions.length; k++) {
            positions[k] = ct.alongNormal(k);
        }
        VolumeGeometry g = ct.geometry();
        SegmentationMetrics metrics = SegmentationMetrics.ofVolume(node, corrected, ct.rows(), ct.columns(),
                g.rowSpacing(), g.columnSpacing(), positions);
        return new Agreement(ct.sliceCount(), metrics, ct.maskVolumeMl(node), ct.maskVolumeMl(corrected));
    }
}
