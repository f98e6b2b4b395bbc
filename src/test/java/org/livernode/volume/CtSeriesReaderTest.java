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
    void refusesAGap() {
        SyntheticCtSeries s = series(6, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        List<Path> files = new ArrayList<>(s.files());
        files.remove(3);
        VolumeException e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(files));
        assertTrue(e.getMessage().contains("no missing slices") && e.getMessage().contains("gap of 10.0 mm"),
                e.getMessage());
    }

    @Test
    void refusesUnevenSpacing() throws Exception {
        SyntheticCtSeries s = series(5, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        rewrite(s.file(2), l -> set(l, "ImagePositionPatient", "-120", "-130", "-28.5"));
        VolumeException e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(s.files()));
        assertTrue(e.getMessage().contains("even slice spacing") && e.getMessage().contains("spacing 6.5 mm"),
                e.getMessage());
        assertEquals(5, CtSeriesReader.read(s.files(), 0.35).sliceCount(), "a looser tolerance accepts it");
    }

    @Test
    void refusesDuplicatePositions() throws Exception {
        SyntheticCtSeries s = series(4, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        rewrite(s.file(2), l -> set(l, "ImagePositionPatient", "-120", "-130", "-35"));
        VolumeException e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(s.files()));
        assertTrue(e.getMessage().contains("duplicate position"), e.getMessage());
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
    void refusesGantryTiltStatedInTheHeader() throws Exception {
        SyntheticCtSeries s = series(3, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        rewrite(s.file(1), l -> set(l, "GantryDetectorTilt", "15"));
        VolumeException e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(s.files()));
        assertTrue(e.getMessage().contains("no gantry tilt") && e.getMessage().contains("15.0 degrees"), e.getMessage());
    }

    @Test
    void refusesASliceStackNotAlongTheNormal() throws Exception {
        SyntheticCtSeries s = series(4, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        for (int k = 0; k < 4; k++) {
            double y = -130 + k * 1.0; // 1 mm posterior drift per 5 mm slice: an 11 degree tilt
            double z = -40 + k * 5;
            rewrite(s.file(k), l -> set(l, "ImagePositionPatient", "-120", Double.toString(y), Double.toString(z)));
        }
        VolumeException e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(s.files()));
        assertTrue(e.getMessage().contains("stacked along the normal") && e.getMessage().contains("11.3"),
                e.getMessage());
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
        assertTrue(e.getMessage().contains("Image Position Patient must have 3 values")
                && e.getMessage().contains(s.file(1).toString()), e.getMessage());
        rewrite(s.file(1), l -> set(l, "ImagePositionPatient", "-120", "-130", "-35"));
        rewrite(s.file(2), l -> set(l, "PixelSpacing", "10"));
        e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(s.files()));
        assertTrue(e.getMessage().contains("Pixel Spacing must have 2 values") && e.getMessage().contains("'10'"),
                e.getMessage());
    }

    @Test
    void refusesNonCt() throws Exception {
        SyntheticCtSeries s = series(2, SyntheticCtSeries.FileOrder.ACQUISITION, 1);
        rewrite(s.file(0), l -> set(l, "Modality", "MR"));
        VolumeException e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(s.files()));
        assertTrue(e.getMessage().contains("Modality must be CT") && e.getMessage().contains("'MR'"), e.getMessage());
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
