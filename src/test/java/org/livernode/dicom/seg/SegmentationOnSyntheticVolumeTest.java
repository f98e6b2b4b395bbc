package org.livernode.dicom.seg;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;
import org.livernode.volume.VolumeGeometry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's own path from files to SEG and back, on a series with awkward geometry: the volume reader orders the
 * slices, the writer writes a known mask per slice, the reader gives each frame back on the same voxels.
 */
class SegmentationOnSyntheticVolumeTest {

    @TempDir
    Path dir;

    @Test
    void knownMasksOnAFeetFirstShuffledOffsetSeriesComeBackOnTheSameVoxels() throws Exception {
        SyntheticCtSeries ct = SyntheticCtSeries.builder().setSliceCount(9).setRows(48).setColumns(40)
                .setPixelSpacing(7.5, 8.25).setSliceSpacing(12.5)
                .setOrigin(-181.3, 37.9, -402.75)          // negative z, off-centre
                .setStackingDirection(-1)                  // acquired towards the feet
                .setFileOrder(SyntheticCtSeries.FileOrder.SHUFFLED)
                .write(dir.resolve("ct"));
        CtSeries volume = CtSeriesReader.read(ct.files());
        VolumeGeometry geometry = volume.geometry();

        // Truth per acquisition slice, looked up by SOP Instance UID in the reader's volume order.
        Map<String, Integer> acquisitionIndex = new HashMap<>();
        for (int k = 0; k < ct.sliceCount(); k++) {
            acquisitionIndex.put(ct.sopInstanceUid(k), k);
        }
        List<byte[]> masks = new ArrayList<>();
        Set<String> truthPoints = new HashSet<>();
        for (int k = 0; k < volume.sliceCount(); k++) {
            int a = acquisitionIndex.get(volume.sopInstanceUids().get(k));
            byte[] mask = ct.liverMask(a);
            masks.add(mask);
            assertArrayEquals(ct.slicePosition(a), geometry.slicePosition(k), 1e-6, "volume slice " + k + " position");
            for (int p = 0; p < mask.length; p++) {
                if (mask[p] != 0) {
                    truthPoints.add(point(geometry.voxelToPatient(p % volume.columns(), p / volume.columns(), k)));
                }
            }
        }
        assertTrue(truthPoints.size() > 100, "the phantom's liver covers " + truthPoints.size() + " voxels");

        Path file = dir.resolve("seg.dcm");
        SegmentationWriter.builder().setSourceImages(volume.headers()).setMasks(masks)
                .setAlgorithm("test", "1").setSeriesNumber(5).setSeriesDescription("round trip").build().write(file);

        DecodedSegmentation seg = SegmentationReader.read(file);
        assertEquals(volume.sliceCount(), seg.frames().size());
        Map<String, Integer> volumeIndex = new HashMap<>();
        for (int k = 0; k < volume.sliceCount(); k++) {
            volumeIndex.put(volume.sopInstanceUids().get(k), k);
        }
        Set<String> readPoints = new HashSet<>();
        for (SegmentationFrame frame : seg.frames()) {
            int k = volumeIndex.get(frame.referencedSopInstanceUid());
            assertArrayEquals(geometry.slicePosition(k), frame.imagePositionPatient(), 1e-6, "frame " + frame.frameNumber());
            assertArrayEquals(masks.get(k), frame.mask(), "frame " + frame.frameNumber() + " = volume slice " + k);
            // Place the frame's pixels with the SEG's own geometry (its position, orientation, spacing).
            double[] o = seg.imageOrientationPatient();
            double rowSpacing = seg.pixelSpacing()[0];
            double columnSpacing = seg.pixelSpacing()[1];
            for (int p = 0; p < frame.mask().length; p++) {
                if (frame.mask()[p] != 0) {
                    int r = p / seg.columns();
                    int c = p % seg.columns();
                    double[] ipp = frame.imagePositionPatient();
                    readPoints.add(point(new double[] {
                            ipp[0] + c * columnSpacing * o[0] + r * rowSpacing * o[3],
                            ipp[1] + c * columnSpacing * o[1] + r * rowSpacing * o[4],
                            ipp[2] + c * columnSpacing * o[2] + r * rowSpacing * o[5]}));
                }
            }
        }
        assertEquals(truthPoints, readPoints, "the SEG's liver voxels in patient space");
    }

    private static String point(double[] p) {
        return String.format(java.util.Locale.ROOT, "%.3f,%.3f,%.3f", p[0], p[1], p[2]);
    }
}
