package org.livernode.dicom.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.ExternalTool;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

class SyntheticCtSeriesTest {

    @TempDir
    Path dir;

    @Test
    void generatedFilesAreValidCtImagesForDciodvfy() throws Exception {
        assumeTrue(ExternalTool.available("dciodvfy"), "dciodvfy (dicom3tools) is not installed");
        SyntheticCtSeries s = SyntheticCtSeries.builder().setSliceCount(2).setRows(64).setColumns(64).write(dir);
        for (String ts : List.of(TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian)) {
            Path d = dir.resolve(ts);
            SyntheticCtSeries one = SyntheticCtSeries.builder().setSliceCount(1).setRows(32).setColumns(32)
                    .setTransferSyntax(ts).write(d);
            ExternalTool.Result r = ExternalTool.run(List.of("dciodvfy", one.file(0).toString()), 60);
            String report = r.stdout() + r.stderr();
            assertEquals(0, r.exitCode(), report);
            assertTrue(!report.contains("Error"), report);
            assertTrue(report.contains("CTImage"), "dciodvfy recognised the IOD: " + report);
        }
        AttributeList l = new AttributeList();
        l.read(s.file(1).toString());
        assertEquals(SOPClass.CTImageStorage, Attribute.getSingleStringValueOrEmptyString(l, TagFromName.SOPClassUID));
        assertEquals("ORIGINAL\\PRIMARY\\AXIAL", Attribute.getDelimitedStringValuesOrEmptyString(l, TagFromName.ImageType));
        assertEquals(s.sopInstanceUid(1), Attribute.getSingleStringValueOrEmptyString(l, TagFromName.SOPInstanceUID));
        assertTrue(s.studyInstanceUid().startsWith("2.25.") && s.seriesInstanceUid().startsWith("2.25."));
        assertEquals(-1024, Attribute.getSingleIntegerValueOrDefault(l, TagFromName.RescaleIntercept, 0));
    }

    @Test
    void readerGivesBackThePhantomHuAndGeometry() {
        SyntheticCtSeries s = SyntheticCtSeries.builder().setSliceCount(6).setRows(48).setColumns(40)
                .setPixelSpacing(7.0, 8.0).setSliceSpacing(12.5).setOrigin(-150, -170, 300)
                .setFileOrder(SyntheticCtSeries.FileOrder.SHUFFLED).setSeed(7).write(dir);
        CtSeries ct = CtSeriesReader.read(s.files());
        assertEquals(48, ct.rows());
        assertEquals(40, ct.columns());
        assertEquals(6, ct.sliceCount());
        assertEquals(12.5, ct.geometry().sliceSpacing(), 1e-9);
        assertEquals(7.0, ct.geometry().rowSpacing(), 1e-9);
        assertEquals(8.0, ct.geometry().columnSpacing(), 1e-9);
        assertArrayEquals(new double[] {-150, -170, 300}, ct.geometry().origin(), 1e-9);
        for (int k = 0; k < 6; k++) {
            assertEquals(s.sopInstanceUid(k), ct.sopInstanceUids().get(k));
            assertArrayEquals(s.sliceHu(k), ct.sliceHu(k), "slice " + k);
        }
    }

    @Test
    void phantomIsAnAbdomenWithTheLiverOnThePatientsRight() {
        SyntheticCtSeries s = SyntheticCtSeries.builder().setSliceCount(10).setRows(96).setColumns(96)
                .setNoiseSigma(0).write(dir);
        int k = 6; // upper abdomen: liver present
        float[] hu = s.sliceHu(k);
        byte[] liver = s.liverMask(k);
        int liverLeftHalf = 0;
        int liverRightHalf = 0;
        Set<Float> values = new HashSet<>();
        for (int r = 0; r < 96; r++) {
            for (int c = 0; c < 96; c++) {
                int p = r * 96 + c;
                values.add(hu[p]);
                if (liver[p] == 1) {
                    assertEquals(AbdomenPhantom.LIVER_HU, hu[p], 0.0);
                    if (c < 48) {
                        liverLeftHalf++;
                    } else {
                        liverRightHalf++;
                    }
                }
            }
        }
        assertTrue(liverLeftHalf > 5 * liverRightHalf, "liver on the image left: " + liverLeftHalf + " vs "
                + liverRightHalf);
        assertEquals(AbdomenPhantom.AIR_HU, hu[0], 0.0);
        for (float tissue : new float[] {AbdomenPhantom.FAT_HU, AbdomenPhantom.SOFT_TISSUE_HU, AbdomenPhantom.BONE_HU,
                AbdomenPhantom.SPLEEN_HU, AbdomenPhantom.MUSCLE_HU}) {
            assertTrue(values.contains(tissue), "slice shows " + tissue + " HU");
        }
        assertTrue(s.liverVolumeMl() > 100, "liver volume " + s.liverVolumeMl());
        int emptySlices = 0;
        for (int i = 0; i < 10; i++) {
            int sum = 0;
            for (byte b : s.liverMask(i)) {
                sum += b;
            }
            emptySlices += sum == 0 ? 1 : 0;
        }
        assertTrue(emptySlices >= 1 && emptySlices < 5, "some slices below the liver are empty: " + emptySlices);
    }

    @Test
    void sameSeedGivesSamePixels() {
        SyntheticCtSeries a = SyntheticCtSeries.builder().setSliceCount(1).setRows(32).setColumns(32).setSeed(3)
                .write(dir.resolve("a"));
        SyntheticCtSeries b = SyntheticCtSeries.builder().setSliceCount(1).setRows(32).setColumns(32).setSeed(3)
                .write(dir.resolve("b"));
        assertArrayEquals(CtSeriesReader.read(a.files()).sliceHu(0), CtSeriesReader.read(b.files()).sliceHu(0));
    }
}
