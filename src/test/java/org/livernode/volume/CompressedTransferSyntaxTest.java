package org.livernode.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.ExternalTool;
import org.livernode.dicom.synthetic.SyntheticCtSeries;

/**
 * Every accepted transfer syntax decodes to the same HU: synthetic slices are transcoded by independent tools
 * (dcmtk's dcmcjpeg/dcmcrle, GDCM's gdcmconv) and read back through {@link CtSeriesReader}.
 */
class CompressedTransferSyntaxTest {

    @TempDir
    Path dir;

    @Test
    void implicitVrLittleEndian() {
        SyntheticCtSeries s = SyntheticCtSeries.builder().setSliceCount(2).setRows(40).setColumns(40)
                .setTransferSyntax(TransferSyntax.ImplicitVRLittleEndian).write(dir);
        CtSeries ct = CtSeriesReader.read(s.files());
        assertEquals(TransferSyntax.ImplicitVRLittleEndian, ct.transferSyntaxUid(0));
        assertArrayEquals(s.sliceHu(1), ct.sliceHu(1));
    }

    @Test
    void losslessCompressionsDecodeExactly() throws Exception {
        assumeTrue(ExternalTool.available("dcmcjpeg") && ExternalTool.available("gdcmconv"),
                "dcmtk and libgdcm-tools are not installed");
        SyntheticCtSeries s = SyntheticCtSeries.builder().setSliceCount(3).setRows(64).setColumns(48)
                .setFileOrder(SyntheticCtSeries.FileOrder.REVERSED).write(dir.resolve("src"));
        assertLossless(s, "1.2.840.10008.1.2.4.70", List.of("dcmcjpeg", "+e1"));
        assertLossless(s, "1.2.840.10008.1.2.4.57", List.of("dcmcjpeg", "+el"));
        assertLossless(s, "1.2.840.10008.1.2.5", List.of("dcmcrle"));
        assertLossless(s, "1.2.840.10008.1.2.4.90", List.of("gdcmconv", "--j2k"));
        assertLossless(s, "1.2.840.10008.1.2.1.99", List.of("dcmconv", "+td"));
    }

    @Test
    void lossyJpeg2000MatchesGdcmsDecoder() throws Exception {
        assumeTrue(ExternalTool.available("gdcmconv"), "libgdcm-tools is not installed");
        SyntheticCtSeries s = SyntheticCtSeries.builder().setSliceCount(2).setRows(64).setColumns(64)
                .write(dir.resolve("src"));
        CtSeries ct = transcode(s, "1.2.840.10008.1.2.4.91", List.of("gdcmconv", "--j2k", "--lossy", "-q", "60"));
        for (int k = 0; k < 2; k++) {
            Path raw = dir.resolve("raw" + k + ".dcm");
            ExternalTool.runOk(List.of("gdcmconv", "--raw", ct.files().get(k).toString(), raw.toString()));
            float[] reference = CtSeriesReader.read(List.of(raw)).sliceHu(0);
            float[] ours = ct.sliceHu(k);
            double maxDiff = 0;
            double lossFromOriginal = 0;
            float[] original = s.sliceHu(k);
            for (int p = 0; p < ours.length; p++) {
                maxDiff = Math.max(maxDiff, Math.abs(ours[p] - reference[p]));
                lossFromOriginal = Math.max(lossFromOriginal, Math.abs(ours[p] - original[p]));
            }
            System.out.printf("JPEG 2000 lossy slice %d: max |jai-imageio - GDCM| = %.1f HU, max loss %.1f HU%n", k,
                    maxDiff, lossFromOriginal);
            assertTrue(maxDiff <= 1, "jai-imageio and GDCM (OpenJPEG) agree within 1 HU, max difference " + maxDiff);
            assertTrue(lossFromOriginal > 0, "the lossy transcode really lost something");
        }
    }

    private void assertLossless(SyntheticCtSeries s, String ts, List<String> tool) throws Exception {
        CtSeries ct = transcode(s, ts, tool);
        for (int k = 0; k < s.sliceCount(); k++) {
            assertEquals(ts, ct.transferSyntaxUid(k));
            assertArrayEquals(s.sliceHu(k), ct.sliceHu(k), ts + " slice " + k);
        }
    }

    private CtSeries transcode(SyntheticCtSeries s, String ts, List<String> tool) throws Exception {
        Path out = Files.createDirectories(dir.resolve(ts));
        List<Path> files = new ArrayList<>();
        for (Path f : s.files()) {
            Path target = out.resolve(f.getFileName());
            List<String> cmd = new ArrayList<>(tool);
            cmd.add(f.toString());
            cmd.add(target.toString());
            ExternalTool.runOk(cmd);
            files.add(target);
        }
        return CtSeriesReader.read(files);
    }
}
