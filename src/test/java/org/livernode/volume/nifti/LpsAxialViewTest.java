package org.livernode.volume.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.ExternalTool;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;
import org.livernode.volume.VolumeException;

/** NIfTI slices shown the way the DICOM reader shows the same CT, checked against dcm2niix's conversion. */
class LpsAxialViewTest {

    @TempDir
    Path dir;

    @Test
    void dcm2niixConversionOfASeriesLooksLikeTheDicomSeries() throws Exception {
        assumeTrue(ExternalTool.available("dcm2niix"), "dcm2niix is not installed");
        for (int direction : new int[] {1, -1}) {
            Path in = dir.resolve("dicom" + direction);
            SyntheticCtSeries s = SyntheticCtSeries.builder().setSliceCount(6).setRows(40).setColumns(56)
                    .setPixelSpacing(6, 5).setSliceSpacing(7).setStackingDirection(direction)
                    .setFileOrder(SyntheticCtSeries.FileOrder.SHUFFLED).write(in);
            CtSeries ct = CtSeriesReader.read(s.files());
            Path out = Files.createDirectories(dir.resolve("nifti" + direction));
            ExternalTool.runOk(List.of("dcm2niix", "-z", "y", "-b", "n", "-f", "ct", "-o", out.toString(),
                    in.toString()));
            Path nii;
            try (Stream<Path> files = Files.list(out)) {
                nii = files.filter(p -> p.toString().endsWith(".nii.gz")).findFirst().orElseThrow();
            }
            LpsAxialView view = LpsAxialView.of(NiftiReader.read(nii));
            assertEquals(ct.rows(), view.rows());
            assertEquals(ct.columns(), view.columns());
            assertEquals(ct.sliceCount(), view.sliceCount());
            assertEquals(6, view.rowSpacing(), 1e-4);
            assertEquals(5, view.columnSpacing(), 1e-4);
            assertEquals(7, view.sliceSpacing(), 1e-4);
            for (int k = 0; k < ct.sliceCount(); k++) {
                assertArrayEquals(ct.sliceHu(k), view.slice(k), "direction " + direction + " slice " + k);
            }
        }
    }

    @Test
    void ourNiftiOfASeriesLooksLikeTheSeries() throws Exception {
        SyntheticCtSeries s = SyntheticCtSeries.builder().setSliceCount(4).setRows(24).setColumns(20)
                .setStackingDirection(-1).write(dir.resolve("dicom"));
        CtSeries ct = CtSeriesReader.read(s.files());
        int plane = ct.rows() * ct.columns();
        float[][] slices = new float[ct.sliceCount()][];
        for (int k = 0; k < slices.length; k++) {
            slices[k] = ct.sliceHu(k);
        }
        Path f = dir.resolve("ct.nii.gz");
        NiftiWriter.write(NiftiImage.builder(ct.columns(), ct.rows(), ct.sliceCount()).setDatatype(NiftiDatatype.INT16)
                .setAffineLps(ct.geometry().affineLps()).setValues(p -> slices[p / plane][p % plane]).build(), f);
        NiftiImage img = NiftiReader.read(f);
        LpsAxialView view = LpsAxialView.of(img);
        for (int k = 0; k < slices.length; k++) {
            assertArrayEquals(slices[k], view.slice(k));
            assertArrayEquals(slices[k], img.axialSlice(k), "already in LPS order: the view changes nothing");
        }
    }

    @Test
    void undoesFlipsAndAnIjSwap() {
        // 3 (i) x 2 (j) x 2 (k); i runs posterior (+y LPS), j runs to the patient's right (-x LPS), k runs inferior.
        double[][] lps = {{0, -2, 0, 10}, {1.5, 0, 0, 0}, {0, 0, -4, 0}, {0, 0, 0, 1}};
        NiftiImage img = NiftiImage.builder(3, 2, 2).setAffineLps(lps).setValues(p -> p).build();
        LpsAxialView view = LpsAxialView.of(img);
        assertEquals(3, view.rows());
        assertEquals(2, view.columns());
        assertEquals(1.5, view.rowSpacing(), 1e-12);
        assertEquals(2, view.columnSpacing(), 1e-12);
        // lowest slice is k = 1; column 0 (most right) is j = 1; row r is i = r
        float[] s0 = view.slice(0);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 2; c++) {
                assertEquals(img.floatValue(r, 1 - c, 1), s0[r * 2 + c], 0);
            }
        }
    }

    @Test
    void refusesAnObliqueVolume() {
        double a = Math.toRadians(30);
        double[][] lps = {{Math.cos(a), -Math.sin(a), 0, 0}, {Math.sin(a), Math.cos(a), 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        NiftiImage img = NiftiImage.builder(2, 2, 2).setAffineLps(lps).setValues(p -> p).build();
        VolumeException e = assertThrows(VolumeException.class, () -> LpsAxialView.of(img));
        assertTrue(e.getMessage().contains("axial volume") && e.getMessage().contains("0.866"), e.getMessage());
    }
}
