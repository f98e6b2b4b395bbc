package org.livernode.training;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.cli.TrainCommand;
import org.livernode.dicom.ExternalTool;
import org.livernode.volume.Resampling;
import org.livernode.volume.nifti.NiftiDatatype;
import org.livernode.volume.nifti.NiftiImage;
import org.livernode.volume.nifti.NiftiWriter;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code lits:PATH} on small LiTS-like volumes written by our NIfTI writer (one LPS-stored .nii, one RAS-stored
 * .nii.gz) and by nibabel: slices come out in DICOM orientation (columns to the patient's left, rows to posterior,
 * inferior slice first), masks are label &gt; 0, spacing is the header's, and only slices whose liver covers
 * at least 1.5 % of the slice are kept.
 */
class LitsVolumesSourceTest {

    @TempDir
    Path dir;

    /**
     * A test volume: voxel (i, j, k) holds HU {@code -1000 + i + 40 j + 1000 k}; liver where j = 2 and
     * i &lt; step * k (label 2, tumour, where i is a multiple of 3, else 1). flipI/flipJ: the affine runs i towards
     * the patient's right / j anterior, so columns / rows come out reversed.
     */
    record Spec(int nx, int ny, int nz, double si, double sj, double sk, boolean flipI, boolean flipJ, int step) {

        static float hu(int i, int j, int k) {
            return -1000 + i + 40 * j + 1000 * k;
        }

        int label(int i, int j, int k) {
            return j == 2 && i < step * k ? (i % 3 == 0 ? 2 : 1) : 0;
        }

        /** RAS affine: i along -x (LPS +x, left) unless flipI, j along -y (LPS +y, posterior) unless flipJ. */
        double[][] affineRas() {
            return new double[][] {{flipI ? si : -si, 0, 0, 5}, {0, flipJ ? sj : -sj, 0, -7}, {0, 0, sk, 11}, {0, 0, 0, 1}};
        }

        int liverPixels(int k) {
            int n = 0;
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    n += label(i, j, k) > 0 ? 1 : 0;
                }
            }
            return n;
        }

        void check(LabelledSlice s, int k) {
            assertEquals(ny, s.rows());
            assertEquals(nx, s.columns());
            assertEquals(sj, s.rowSpacingMm(), 1e-5);
            assertEquals(si, s.columnSpacingMm(), 1e-5);
            for (int r = 0; r < ny; r++) {
                for (int c = 0; c < nx; c++) {
                    int i = flipI ? nx - 1 - c : c;
                    int j = flipJ ? ny - 1 - r : r;
                    assertEquals(hu(i, j, k), s.hu()[r * nx + c], 1e-3, "HU at row " + r + " column " + c);
                    assertEquals(label(i, j, k) > 0 ? 1 : 0, s.liverMask()[r * nx + c], "mask at row " + r + " column " + c);
                }
            }
        }
    }

    private void write(Spec spec, String n, String suffix, NiftiDatatype huType) throws IOException {
        int plane = spec.nx() * spec.ny();
        NiftiWriter.write(NiftiImage.builder(spec.nx(), spec.ny(), spec.nz()).setDatatype(huType)
                .setAffineRas(spec.affineRas()).setValues(p -> Spec.hu(p % spec.nx(), p % plane / spec.nx(), p / plane))
                .build(), dir.resolve("volume-" + n + suffix));
        NiftiWriter.write(NiftiImage.builder(spec.nx(), spec.ny(), spec.nz()).setDatatype(NiftiDatatype.UINT8)
                .setAffineRas(spec.affineRas()).setValues(p -> spec.label(p % spec.nx(), p % plane / spec.nx(), p / plane))
                .build(), dir.resolve("segmentation-" + n + suffix));
    }

    @Test
    void keepsSlicesWithEnoughLiverInDicomOrientation() throws IOException {
        Spec lps = new Spec(40, 32, 10, 0.8, 0.7, 2.5, false, false, 4);
        Spec ras = new Spec(24, 20, 6, 0.9, 0.6, 3.0, true, true, 2);
        write(lps, "1", ".nii", NiftiDatatype.FLOAT32);
        write(ras, "10", ".nii.gz", NiftiDatatype.INT16);

        LitsVolumesSource source = (LitsVolumesSource) DataSpec.parse("lits:" + dir);
        assertEquals(0.015, source.minLiverFraction());
        List<LabelledSlice> slices = source.load();
        // volume 1: 1280 pixels, 1.5 % = 19.2, liver 4k pixels in slice k -> k = 5..9; volume 10: 480 pixels,
        // 7.2, liver 2k -> k = 4, 5. Volume 10 comes after volume 1 (numeric order, not "10" < "1.").
        assertEquals(7, slices.size());
        Map<String, Long> perCase = slices.stream().collect(Collectors.groupingBy(LabelledSlice::caseId, Collectors.counting()));
        assertEquals(Map.of("lits-1", 5L, "lits-10", 2L), perCase);
        for (int n = 0; n < 5; n++) {
            assertEquals("lits-1", slices.get(n).caseId());
            lps.check(slices.get(n), 5 + n);
            assertEquals(lps.liverPixels(5 + n), slices.get(n).liverPixels());
        }
        ras.check(slices.get(5), 4);
        ras.check(slices.get(6), 5);
        for (LabelledSlice s : slices) {
            assertTrue(s.liverPixels() >= 0.015 * s.rows() * s.columns(), "1.5 % rule");
        }
        assertTrue(source.describe().contains("2 volumes, 7 slices"), source.describe());

        List<LabelledSlice> all = DataSpec.parse("lits:" + dir + "?min-liver-fraction=0").load();
        assertEquals(10 + 6, all.size());
        ras.check(all.get(10), 0);

        // size=20: the same 7 slices resampled (bilinear HU, nearest mask), spacing scaled to the new grid
        List<LabelledSlice> small = DataSpec.parse("lits:" + dir + "?size=20&min-liver-fraction=0.015").load();
        assertEquals(7, small.size());
        LabelledSlice native0 = slices.get(0);
        LabelledSlice small0 = small.get(0);
        assertEquals(20, small0.rows());
        assertEquals(20, small0.columns());
        assertEquals(0.7 * 32 / 20, small0.rowSpacingMm(), 1e-5);
        assertEquals(0.8 * 40 / 20, small0.columnSpacingMm(), 1e-5);
        assertArrayEquals(Resampling.bilinear(native0.hu(), 32, 40, 20, 20), small0.hu());
        assertArrayEquals(Resampling.nearest(native0.liverMask(), 32, 40, 20, 20), small0.liverMask());
        assertTrue(small0.liverPixels() > 0);
    }

    @Test
    void readsWhatNibabelWrites() throws Exception {
        assumeTrue(ExternalTool.available("/usr/bin/python3")
                && ExternalTool.run(List.of("/usr/bin/python3", "-c", "import nibabel"), 60).exitCode() == 0,
                "python3 with nibabel (Debian python3-nibabel) is not installed");
        Spec spec = new Spec(16, 12, 4, 0.75, 0.75, 2.0, false, true, 1);
        String script = String.join("\n",
                "import sys, numpy as np, nibabel as nib",
                "d = sys.argv[1]",
                "i, j, k = np.meshgrid(np.arange(16), np.arange(12), np.arange(4), indexing='ij')",
                "aff = np.array([[-0.75, 0, 0, 5], [0, 0.75, 0, -7], [0, 0, 2.0, 11], [0, 0, 0, 1]])",
                "hu = (-1000 + i + 40 * j + 1000 * k).astype(np.int16)",
                "lab = np.where((j == 2) & (i < k), np.where(i % 3 == 0, 2, 1), 0).astype(np.uint8)",
                "nib.save(nib.Nifti1Image(hu, aff), d + '/volume-7.nii.gz')",
                "nib.save(nib.Nifti1Image(lab, aff), d + '/segmentation-7.nii.gz')");
        ExternalTool.runOk(List.of("/usr/bin/python3", "-c", script, dir.toString()));
        List<LabelledSlice> slices = new LitsVolumesSource(dir.toString()).load();
        // 192 pixels, 1.5 % = 2.88: liver k pixels in slice k -> only k = 3
        assertEquals(1, slices.size());
        assertEquals("lits-7", slices.get(0).caseId());
        spec.check(slices.get(0), 3);
    }

    @Test
    void clearErrors() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> new LitsVolumesSource(dir.resolve("nope").toString()).load());
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

        IOException empty = assertThrows(IOException.class, () -> new LitsVolumesSource(dir.toString()).load());
        assertTrue(empty.getMessage().contains("holds no volume-N.nii"), empty.getMessage());

        write(new Spec(8, 8, 2, 1, 1, 1, false, false, 1), "3", ".nii", NiftiDatatype.INT16);
        Files.delete(dir.resolve("segmentation-3.nii"));
        IOException noSeg = assertThrows(IOException.class, () -> new LitsVolumesSource(dir.toString()).load());
        assertTrue(noSeg.getMessage().contains("volume-3.nii has no segmentation")
                && noSeg.getMessage().contains("segmentation-3.nii"), noSeg.getMessage());

        IllegalArgumentException badOption = assertThrows(IllegalArgumentException.class,
                () -> DataSpec.parse("lits:" + dir + "?min-liver-fraction=2"));
        assertTrue(badOption.getMessage().contains("[0, 1], found 2"), badOption.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> DataSpec.parse("lits:" + dir + "?size=256&spacing=1"));
        assertTrue(unknown.getMessage().contains("found spacing=1"), unknown.getMessage());
    }

    @Test
    void trainCommandExitsWithUsageErrorWhenThereAreNoVolumes() {
        Path out = dir.resolve("model");
        int exit = new CommandLine(new TrainCommand()).execute("--data", "lits:" + dir, "--output", out.toString(), "--epochs", "1");
        assertEquals(2, exit);
        assertTrue(!Files.exists(out.resolve("model.params")));
    }
}
