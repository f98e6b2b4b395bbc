package org.livernode.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.synthetic.SyntheticCtSeries;

class CtSeriesReaderTest {

    @TempDir
    Path dir;

    private SyntheticCtSeries series(int slices, SyntheticCtSeries.FileOrder order, int direction) {
        return SyntheticCtSeries.builder().setSliceCount(slices).setRows(32).setColumns(24).setPixelSpacing(10, 12)
                .setSliceSpacing(5).setOrigin(-120, -130, -40).setStackingDirection(direction).setFileOrder(order)
                .setSeed(11).write(dir.resolve("s" + System.nanoTime()));
    }

    @Test
    void shuffledFilesAreSortedByPositionNotByNameOrInstanceNumber() {
        SyntheticCtSeries s = series(7, SyntheticCtSeries.FileOrder.SHUFFLED, 1);
        assertTrue(!s.files().get(0).equals(s.file(0)), "the shuffle moved slice 0");
        CtSeries ct = CtSeriesReader.read(s.files());
        for (int k = 0; k < 7; k++) {
            assertEquals(s.sopInstanceUid(k), ct.sopInstanceUids().get(k), "slice " + k);
            assertEquals(s.file(k), ct.files().get(k));
            assertArrayEquals(s.slicePosition(k), ct.geometry().slicePosition(k), 1e-9);
        }
        assertArrayEquals(s.sliceHu(3), ct.sliceHu(3));
        assertArrayEquals(new double[] {0, 0, 1}, ct.geometry().normal(), 0);
        assertEquals(7, ct.headers().size());
        assertEquals(null, ct.headers().get(0).get(TagFromName.PixelData), "headers hold no pixel data");
    }

    @Test
    void aLongShuffledSeriesIsSortedAndDecodedSliceBySlice() {
        SyntheticCtSeries s = SyntheticCtSeries.builder().setSliceCount(400).setRows(8).setColumns(8)
                .setSliceSpacing(0.625).setFileOrder(SyntheticCtSeries.FileOrder.SHUFFLED).write(dir);
        CtSeries ct = CtSeriesReader.read(s.files());
        assertEquals(0.625, ct.geometry().sliceSpacing(), 1e-9);
        for (int k = 0; k < 400; k += 57) {
            assertEquals(s.sopInstanceUid(k), ct.sopInstanceUids().get(k));
            assertArrayEquals(s.sliceHu(k), ct.sliceHu(k));
        }
    }

    @Test
    void negativeStackingDirectionGivesAscendingPositionsAndPositiveSpacing() {
        SyntheticCtSeries s = series(5, SyntheticCtSeries.FileOrder.ACQUISITION, -1);
        CtSeries ct = CtSeriesReader.read(s.files());
        VolumeGeometry g = ct.geometry();
        assertEquals(5.0, g.sliceSpacing(), 1e-9);
        assertArrayEquals(s.slicePosition(4), g.origin(), 1e-9, "origin = lowest slice (acquired last)");
        assertArrayEquals(new double[] {-120, -130, -60}, g.origin(), 1e-9);
        for (int k = 0; k < 5; k++) {
            assertEquals(s.sopInstanceUid(4 - k), ct.sopInstanceUids().get(k));
            assertArrayEquals(s.sliceHu(4 - k), ct.sliceHu(k));
        }
        // voxel (column 2, row 3, slice 1) = origin + 2*12 x + 3*10 y + 1*5 z
        assertArrayEquals(new double[] {-96, -100, -55}, g.voxelToPatient(2, 3, 1), 1e-9);
        assertArrayEquals(new double[] {2, 3, 1}, g.patientToVoxel(-96, -100, -55), 1e-9);
        assertEquals(10 * 12 * 5 / 1000.0, g.voxelVolumeMl(), 1e-12);
    }

    @Test
    void aGapIsNotedAndSlicesAcrossItAreNotNeighbours() {
        SyntheticCtSeries s = series(6, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        List<Path> files = new ArrayList<>(s.files());
        files.remove(3);
        CtSeries ct = CtSeriesReader.read(files);
        assertEquals(5, ct.sliceCount());
        assertTrue(ct.touchesNext(1) && !ct.touchesNext(2) && ct.touchesNext(3), "the gap lies between slices 2 and 3");
        assertEquals(1, ct.notes().size(), ct.notes().toString());
        assertTrue(ct.notes().get(0).contains("gap of 10.00 mm (about 1 missing slice(s)"), ct.notes().get(0));
        assertEquals(5.0, ct.sliceThickness(2), 1e-9, "a slice beside the gap stands for its touching side only");
        assertEquals(-40 + 4 * 5, ct.position(3)[2], 1e-9, "each slice keeps its own position");
    }

    @Test
    void unevenSpacingIsNotedAndEachSliceStandsForItsOwnSpacing() throws Exception {
        SyntheticCtSeries s = series(5, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        rewrite(s.file(2), l -> set(l, "ImagePositionPatient", "-120", "-130", "-28.5"));
        CtSeries ct = CtSeriesReader.read(s.files());
        assertEquals(5, ct.sliceCount());
        assertTrue(ct.notes().get(0).contains("uneven slice spacing: 3.50 to 6.50 mm"), ct.notes().toString());
        assertEquals(5.0, ct.sliceThickness(2), 1e-9);
        assertEquals((6.5 + 5) / 2, ct.sliceThickness(1), 1e-9);
        double total = 0;
        for (int k = 0; k < 5; k++) {
            total += ct.sliceThickness(k);
        }
        assertEquals(25.0, total, 1e-9, "thicknesses sum to the stack's extent plus one spacing");
    }

    @Test
    void duplicatePositionsKeepTheLowestInstanceNumber() throws Exception {
        SyntheticCtSeries s = series(4, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        rewrite(s.file(2), l -> set(l, "ImagePositionPatient", "-120", "-130", "-35"));
        CtSeries ct = CtSeriesReader.read(s.files());
        assertEquals(3, ct.sliceCount());
        assertTrue(ct.sopInstanceUids().contains(s.sopInstanceUid(1)) && !ct.sopInstanceUids().contains(s.sopInstanceUid(2)),
                "instance 2 kept at -35, instance 3 left out");
        assertTrue(ct.notes().stream().anyMatch(n -> n.contains("1 slice(s) left out, the lowest Instance Number kept")),
                ct.notes().toString());
    }

    @Test
    void duplicatePositionsOfTwoAcquisitionsKeepTheLargerAcquisition() throws Exception {
        SyntheticCtSeries s = series(6, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        for (int k = 0; k < 6; k++) {
            int acquisition = k < 4 ? 1 : 2;
            double z = -40 + (k < 4 ? k : k - 4) * 5;
            rewrite(s.file(k), l -> {
                set(l, "AcquisitionNumber", Integer.toString(acquisition));
                set(l, "ImagePositionPatient", "-120", "-130", Double.toString(z));
            });
        }
        CtSeries ct = CtSeriesReader.read(s.files());
        assertEquals(List.of(s.sopInstanceUid(0), s.sopInstanceUid(1), s.sopInstanceUid(2), s.sopInstanceUid(3)),
                ct.sopInstanceUids());
        assertTrue(ct.notes().get(0).contains("2 acquisitions (Acquisition Number 1, 2); kept acquisition 1 (4 slices)"),
                ct.notes().toString());
    }

    @Test
    void refusesMixedOrientations() throws Exception {
        SyntheticCtSeries s = series(4, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        rewrite(s.file(1), l -> set(l, "ImageOrientationPatient", "1", "0", "0", "0", "0", "-1"));
        VolumeException e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(s.files()));
        assertTrue(e.getMessage().contains("mixed orientations") && e.getMessage().contains("-1.0"), e.getMessage());
    }

    @Test
    void refusesAnOrientationThatIsNotOrthonormal() throws Exception {
        SyntheticCtSeries s = series(3, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        for (int k = 0; k < 3; k++) {
            rewrite(s.file(k), l -> set(l, "ImageOrientationPatient", "1", "0", "0", "0.6", "0.8", "0"));
        }
        VolumeException e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(s.files()));
        assertTrue(e.getMessage().contains("orthogonal unit vectors") && e.getMessage().contains("dot product 0.6"),
                e.getMessage());
    }

    @Test
    void aStackShearedByGantryTiltKeepsEachSlicePlaneAndUsesTheSpacingAlongTheNormal() throws Exception {
        SyntheticCtSeries s = series(4, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        double tilt = Math.toRadians(20);
        for (int k = 0; k < 4; k++) {
            double z = -40 + k * 5; // the table moves 5 mm along z; the slice planes are tilted by 20 degrees
            rewrite(s.file(k), l -> {
                set(l, "GantryDetectorTilt", "20");
                set(l, "ImageOrientationPatient", "1", "0", "0", "0", Double.toString(Math.cos(tilt)),
                        Double.toString(-Math.sin(tilt)));
                set(l, "ImagePositionPatient", "-120", "-130", Double.toString(z));
            });
        }
        CtSeries ct = CtSeriesReader.read(s.files());
        assertEquals(4, ct.sliceCount());
        assertEquals(5 * Math.cos(tilt), ct.sliceThickness(1), 1e-6, "spacing along the tilted normal");
        assertEquals(5 * Math.cos(tilt), ct.geometry().sliceSpacing(), 1e-6);
        assertArrayEquals(new double[] {-120, -130, -30}, ct.position(2), 1e-9, "positions as the headers give them");
        assertTrue(ct.notes().isEmpty(), ct.notes().toString());
    }

    @Test
    void refusesRowsColumnsMismatch() throws Exception {
        SyntheticCtSeries s = series(3, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        rewrite(s.file(2), l -> {
            set(l, "Columns", "23");
            l.remove(TagFromName.PixelData);
        });
        VolumeException e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(s.files()));
        assertTrue(e.getMessage().contains("same Rows x Columns") && e.getMessage().contains("is 32x23"),
                e.getMessage());
    }

    @Test
    void refusesMissingGeometry() throws Exception {
        SyntheticCtSeries s = series(3, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        rewrite(s.file(1), l -> l.remove(TagFromName.ImagePositionPatient));
        VolumeException e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(s.files()));
        assertTrue(e.getMessage().contains("Image Position Patient must have 3 finite values")
                && e.getMessage().contains(s.file(1).toString()), e.getMessage());
        rewrite(s.file(1), l -> set(l, "ImagePositionPatient", "-120", "-130", "-35"));
        rewrite(s.file(2), l -> set(l, "PixelSpacing", "10"));
        e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(s.files()));
        assertTrue(e.getMessage().contains("Pixel Spacing must have 2 finite values") && e.getMessage().contains("'10'"),
                e.getMessage());
    }

    @Test
    void refusesNoFilesAndAnUnreadableFileNamingIt() throws Exception {
        SyntheticCtSeries s = series(2, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        java.nio.file.Files.write(s.file(1), new byte[] {'D', 'I', 'C', 'M', 1, 2, 3});
        VolumeException e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(s.files()));
        assertTrue(e.getMessage().contains("file " + s.file(1) + " is not a readable DICOM file"), e.getMessage());
        VolumeException none = assertThrows(VolumeException.class, () -> CtSeriesReader.read(List.of()));
        assertTrue(none.getMessage().contains("at least one file"), none.getMessage());
    }

    @Test
    void refusesFilesOfTwoSeries() throws Exception {
        SyntheticCtSeries s = series(3, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        rewrite(s.file(1), l -> set(l, "SeriesInstanceUID", "2.25.1"));
        VolumeException e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(s.files()));
        assertTrue(e.getMessage().contains("one Series Instance UID per series") && e.getMessage().contains("2.25.1"),
                e.getMessage());
    }

    @Test
    void singleSliceTakesItsSpacingFromSliceThickness() {
        SyntheticCtSeries s = series(1, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        CtSeries ct = CtSeriesReader.read(s.files());
        assertEquals(5.0, ct.geometry().sliceSpacing(), 0);
        assertArrayEquals(s.sliceHu(0), ct.sliceHu(0));
    }

    interface Edit {
        void apply(AttributeList list) throws Exception;
    }

    /** Rewrites a file in place (same transfer syntax) after an edit of its attributes. */
    static void rewrite(Path file, Edit edit) throws Exception {
        AttributeList l = new AttributeList();
        l.read(file.toString());
        String ts = Attribute.getSingleStringValueOrEmptyString(l, TagFromName.TransferSyntaxUID);
        edit.apply(l);
        l.write(file.toFile(), ts, true, true);
    }

    static void set(AttributeList l, String keyword, String... values) throws Exception {
        AttributeTag tag = DicomDictionary.StandardDictionary.getTagFromName(keyword);
        Attribute a = l.putNewAttribute(tag);
        for (String v : values) {
            a.addValue(v);
        }
    }
}
