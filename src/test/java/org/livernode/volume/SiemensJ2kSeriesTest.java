package org.livernode.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.ExternalTool;
import org.livernode.testing.SiemensJ2k;

/**
 * The 20 real Siemens slices (JPEG 2000 lossless, empty SOP/Study/Series UIDs) from {@code ../shared/data}: once the
 * UIDs are filled in with dcmodify, every slice decodes to the same values as GDCM's independent decoder.
 */
class SiemensJ2kSeriesTest {

    @TempDir
    Path dir;

    @Test
    void decodesEverySliceLikeGdcmAndMeasuresTheGeometry() throws Exception {
        assumeTrue(ExternalTool.available("dcmodify") && ExternalTool.available("gdcmconv"),
                "dcmtk and libgdcm-tools are not installed");
        List<Path> files = SiemensJ2k.withUids(SiemensJ2k.originals(), dir.resolve("ct")).files();
        assertEquals(20, files.size());
        CtSeries ct = CtSeriesReader.read(files);
        assertEquals(20, ct.sliceCount());
        assertEquals(512, ct.rows());
        assertEquals(512, ct.columns());
        VolumeGeometry g = ct.geometry();
        assertEquals(0.9765625, g.rowSpacing(), 1e-9);
        assertArrayEquals(new double[] {0, 0, 1}, g.normal(), 1e-9);
        double firstZ = g.origin()[2];
        double lastZ = g.slicePosition(19)[2];
        System.out.printf("siemens-ct-j2k: origin %s, slice spacing %.4f mm, z %.2f..%.2f%n",
                java.util.Arrays.toString(g.origin()), g.sliceSpacing(), firstZ, lastZ);
        for (int k = 0; k < 20; k++) {
            assertEquals("1.2.840.10008.1.2.4.90", ct.transferSyntaxUid(k));
            AttributeList h = ct.headers().get(k);
            double z = Attribute.getDoubleValues(h, TagFromName.ImagePositionPatient)[2];
            assertEquals(g.slicePosition(k)[2], z, 1e-3, "slice " + k + " lies where the geometry says");
            Path raw = dir.resolve("raw-" + k + ".dcm");
            ExternalTool.runOk(List.of("gdcmconv", "--raw", ct.files().get(k).toString(), raw.toString()));
            float[] reference = CtSeriesReader.read(List.of(raw)).sliceHu(0);
            assertEquals("1.2.840.10008.1.2.1", CtSeriesReader.read(List.of(raw)).transferSyntaxUid(0));
            float[] ours = ct.sliceHu(k);
            assertArrayEquals(reference, ours, "slice " + k + " decoded by jai-imageio equals GDCM's decoding");
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : ours) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(min >= -1024 && max > 1000, "a real CT range in HU: " + min + ".." + max);
        }
    }
}
