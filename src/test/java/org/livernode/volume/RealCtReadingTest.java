package org.livernode.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.testing.CtHeaderZoo;
import org.livernode.testing.Dcmtk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The reader on real files of the CT header zoo: Enhanced CT frames, tilted real series, rescale and pixel length. */
class RealCtReadingTest {

    @TempDir
    Path temp;

    private static Path zoo(String relative) {
        Path p = CtHeaderZoo.DIR.resolve(relative);
        assumeTrue(Files.exists(p), "real data absent: " + p.toAbsolutePath() + " (skipped)");
        return p;
    }

    @Test
    void enhancedCtFramesAreSlicesFromTheFunctionalGroups() {
        CtSeries ct = CtSeriesReader.read(List.of(zoo("B04-dicomParser/multi-frame/CT0012.explicit_little_endian.dcm")));
        assertEquals(2, ct.sliceCount(), "one slice per frame");
        assertEquals(List.of(1, 2), List.of(ct.frameNumber(0), ct.frameNumber(1)).stream().sorted().toList());
        assertEquals(ct.sopInstanceUids().get(0), ct.sopInstanceUids().get(1), "the frames of one instance");
        assertTrue(ct.alongNormal(1) > ct.alongNormal(0), "sorted along the normal by the Plane Position of each frame");
        for (int k = 0; k < 2; k++) {
            assertEquals(ct.rows() * ct.columns(), ct.sliceHu(k).length);
            Attribute frame = ct.headers().get(k).get(TagFromName.ReferencedFrameNumber);
            assertEquals(Integer.toString(ct.frameNumber(k)), frame.getSingleStringValueOrEmptyString());
        }
        assertTrue(!Arrays.equals(ct.sliceHu(0), ct.sliceHu(1)), "each frame decodes its own pixels");
    }

    @Test
    void aRealTiltedSeriesWithVariableSpacingIsReadWithItsRealPositions() throws Exception {
        Path dir = zoo("B05-dcm_qa_ct/GE-HiSpeed-tilt18.5-varspacing");
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().endsWith(".dcm")).sorted().toList();
        }
        CtSeries ct = CtSeriesReader.read(files);
        assertEquals(files.size(), ct.sliceCount());
        assertEquals(18.5, Math.toDegrees(Math.acos(ct.normal()[2])), 0.05, "the tilted normal");
        double total = 0;
        for (int k = 0; k < ct.sliceCount(); k++) {
            total += ct.sliceThickness(k);
        }
        assertTrue(total > 0 && total < ct.alongNormal(ct.sliceCount() - 1) - ct.alongNormal(0) + 8,
                "thicknesses follow the measured spacing: " + total);
        assertTrue(ct.notes().stream().anyMatch(n -> n.contains("uneven slice spacing") || n.contains("gap of")),
                ct.notes().toString());
    }

    @Test
    void rescaleThatGivesNoHounsfieldUnitsIsRefusedNamingTheValues() throws Exception {
        List<Path> slope = CtHeaderZoo.stack(zoo("B01-pydicom/CT_small.dcm"), temp.resolve("slope"));
        for (Path f : slope) {
            assertEquals(0, Dcmtk.run("dcmodify", "-nb", "-m", "(0028,1053)=1e30", f.toString()).exitCode());
        }
        VolumeException e = assertThrows(VolumeException.class, () -> CtSeriesReader.read(slope));
        assertTrue(e.getMessage().contains("Rescale Slope '1e30'"), e.getMessage());

        List<Path> intercept = CtHeaderZoo.stack(zoo("B01-pydicom/CT_small.dcm"), temp.resolve("intercept"));
        for (Path f : intercept) {
            assertEquals(0, Dcmtk.run("dcmodify", "-nb", "-m", "(0028,1052)=60000", f.toString()).exitCode());
        }
        CtSeries ct = CtSeriesReader.read(intercept);
        VolumeException decoded = assertThrows(VolumeException.class, () -> ct.sliceHu(0));
        assertTrue(decoded.getMessage().contains("0.0 % do with Rescale Slope 1 and Rescale Intercept 60000"),
                decoded.getMessage());
    }

    @Test
    void pixelDataLongerOrShorterThanRowsTimesColumnsIsRefusedNamingBoth() throws Exception {
        for (double factor : new double[] {1.5, 0.5}) {
            List<Path> files = CtHeaderZoo.stack(zoo("B01-pydicom/CT_small.dcm"), temp.resolve("len" + factor));
            for (Path f : files) { // a vendor's private compression in Explicit VR Little Endian: the length disagrees
                AttributeList l = new AttributeList();
                l.read(f.toString());
                short[] pixels = l.get(TagFromName.PixelData).getShortValues();
                OtherWordAttribute other = new OtherWordAttribute(TagFromName.PixelData);
                other.setValues(Arrays.copyOf(pixels, (int) (pixels.length * factor)));
                l.put(other);
                l.write(f.toFile(), Attribute.getSingleStringValueOrEmptyString(l, TagFromName.TransferSyntaxUID), true, true);
            }
            CtSeries ct = CtSeriesReader.read(files);
            VolumeException e = assertThrows(VolumeException.class, () -> ct.sliceHu(0));
            assertTrue(e.getMessage().contains("128x128x1 needs 16384 values (32768 bytes), found "
                    + (int) (16384 * factor)) && e.getMessage().contains("vendor's private compression"), e.getMessage());
        }
    }
}
