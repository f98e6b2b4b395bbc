package org.livernode.dicom.overlay;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.ExternalTool;
import org.livernode.dicom.TestCtSlices;
import org.livernode.dicom.vocabulary.SopClasses;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One image of the overlay series: dciodvfy-clean, labelled, the source's geometry, the outline where the mask's is. */
class OverlayImageWriterTest {

    @TempDir
    Path dir;

    private final TestCtSlices ct = new TestCtSlices();
    private final AttributeList source;

    OverlayImageWriterTest() throws Exception {
        ct.rows = 128;
        ct.columns = 160;
        source = ct.header(2);
    }

    /** Seeded noise around soft tissue, so the outline cannot be found by value alone. */
    private float[] hu() {
        Random random = new Random(15);
        float[] hu = new float[ct.rows * ct.columns];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = 60 + (float) random.nextGaussian() * 40;
        }
        return hu;
    }

    /** An ellipse right of and below the text box, with a notch, and a lone pixel. */
    private byte[] mask() {
        byte[] m = new byte[ct.rows * ct.columns];
        for (int r = 0; r < ct.rows; r++) {
            for (int c = 0; c < ct.columns; c++) {
                double y = (r - 80) / 30.0;
                double x = (c - 100) / 45.0;
                boolean notch = r > 75 && r < 85 && c > 130;
                m[r * ct.columns + c] = (byte) (x * x + y * y <= 1 && !notch ? 1 : 0);
            }
        }
        m[120 * ct.columns + 10] = 1;
        return m;
    }

    private OverlayImageWriter.Builder overlay() throws Exception {
        return OverlayImageWriter.builder().setSourceImage(source).setHu(hu()).setMask(mask()).setVolumeMl(1523.4);
    }

    static short[] pixels(AttributeList image) throws Exception {
        return image.get(TagFromName.PixelData).getShortValues();
    }

    @Test
    void passesDciodvfyWithZeroErrors() throws Exception {
        AttributeList abdomen = ct.header(3);
        abdomen.putNewAttribute(TagFromName.BodyPartExamined).addValue("ABDOMEN"); // Laterality then must be absent
        for (AttributeList header : List.of(source, abdomen)) {
            Path file = dir.resolve("overlay.dcm");
            overlay().setSourceImage(header).build().write(file);
            ExternalTool.Result r = ExternalTool.run(List.of("dciodvfy", file.toString()), 60);
            String report = r.stdout() + r.stderr();
            System.out.println("dciodvfy on a livernode overlay image:\n" + report);
            assertEquals(List.of(), report.lines().filter(l -> l.startsWith("Error")).toList(), "dciodvfy errors");
            assertEquals(0, r.exitCode(), report);
        }
    }

    @Test
    void isLabelledAsDerivedNotForDiagnosisWithTheSourceGeometry() throws Exception {
        Path file = dir.resolve("overlay.dcm");
        overlay().build().write(file);
        AttributeList img = new AttributeList();
        img.read(file.toFile());
        assertEquals(SopClasses.CT_IMAGE_STORAGE, Attribute.getSingleStringValueOrNull(img, TagFromName.SOPClassUID));
        assertArrayEquals(new String[] {"DERIVED", "SECONDARY", "AXIAL"}, img.get(TagFromName.ImageType).getStringValues());
        assertEquals("YES", Attribute.getSingleStringValueOrNull(img, TagFromName.BurnedInAnnotation));
        assertTrue(Attribute.getSingleStringValueOrNull(img, TagFromName.SeriesDescription).contains("NOT FOR DIAGNOSIS"));
        for (var tag : List.of(TagFromName.ImagePositionPatient, TagFromName.ImageOrientationPatient, TagFromName.PixelSpacing)) {
            assertArrayEquals(source.get(tag).getDoubleValues(), img.get(tag).getDoubleValues(), 0.0, tag.toString());
        }
        for (var tag : List.of(TagFromName.StudyInstanceUID, TagFromName.FrameOfReferenceUID, TagFromName.PatientID)) {
            assertEquals(Attribute.getSingleStringValueOrNull(source, tag), Attribute.getSingleStringValueOrNull(img, tag));
        }
        assertNotEquals(ct.seriesUid, Attribute.getSingleStringValueOrNull(img, TagFromName.SeriesInstanceUID));
        AttributeList ref = ((SequenceAttribute) img.get(TagFromName.SourceImageSequence)).getItem(0).getAttributeList();
        assertEquals(Attribute.getSingleStringValueOrNull(source, TagFromName.SOPInstanceUID),
                Attribute.getSingleStringValueOrNull(ref, TagFromName.ReferencedSOPInstanceUID));
        assertEquals(2L * ct.rows * ct.columns, img.get(TagFromName.PixelData).getVL(), "2 bytes per pixel, uncompressed");
    }

    @Test
    void burnedInPixelsLieExactlyOnTheMasksOutlineAndTheRestIsTheSourceHu() throws Exception {
        Path file = dir.resolve("overlay.dcm");
        overlay().build().write(file);
        AttributeList img = new AttributeList();
        img.read(file.toFile());
        short[] out = pixels(img);
        float[] hu = hu();
        byte[] mask = mask();
        int[] box = BurnedInText.boxSize(OverlayImageWriter.text(1523.4), 1);
        int outlinePixels = 0;
        for (int r = 0; r < ct.rows; r++) {
            for (int c = 0; c < ct.columns; c++) {
                int i = r * ct.columns + c;
                if (r < box[1] && c < box[0]) {
                    continue; // the text
                }
                boolean inside = mask[i] == 1;
                boolean onEdge = inside && (mask[i - 1] == 0 || mask[i + 1] == 0 || mask[i - ct.columns] == 0 || mask[i + ct.columns] == 0);
                boolean burned = out[i] != (short) Math.round(hu[i]);
                assertEquals(onEdge, burned, "pixel (" + r + ", " + c + "): on the mask's outline = " + onEdge + ", burned = " + burned);
                if (onEdge) {
                    assertEquals(OverlayImageWriter.INK, out[i]);
                    outlinePixels++;
                }
            }
        }
        assertTrue(outlinePixels > 200, "the outline of the ellipse, found " + outlinePixels + " pixels");
        assertEquals(OverlayImageWriter.INK, out[120 * ct.columns + 10], "a lone liver pixel is its own outline");
    }

    @Test
    void theVolumeIsWrittenOnTheImage() throws Exception {
        short[] a = pixels(overlay().build().build());
        short[] b = pixels(overlay().setVolumeMl(1523.5).build().build());
        int[] box = BurnedInText.boxSize(OverlayImageWriter.text(1523.4), 1);
        int ink = 0;
        int differ = 0;
        for (int r = 0; r < ct.rows; r++) {
            for (int c = 0; c < ct.columns; c++) {
                int i = r * ct.columns + c;
                if (r < box[1] && c < box[0]) {
                    ink += a[i] == OverlayImageWriter.INK ? 1 : 0;
                    differ += a[i] != b[i] ? 1 : 0;
                } else {
                    assertEquals(a[i], b[i], "outside the text nothing depends on the volume");
                }
            }
        }
        assertTrue(ink > 200, "text pixels: " + ink);
        assertTrue(differ > 0 && differ < 30, "1523.4 and 1523.5 differ in one glyph: " + differ + " pixels");
        assertArrayEquals(new String[] {"LIVER 1523.4 mL", "NOT FOR DIAGNOSIS"}, OverlayImageWriter.text(1523.4));
    }

    @Test
    void rejectsWhatCannotMakeAnOverlay() throws Exception {
        assertMessage("mask[5]: must be 0 or 1, found 2", overlay().setMask(with(mask(), 5, (byte) 2)));
        assertMessage("hu: one value per pixel is required, Rows*Columns = 20480, found 3", overlay().setHu(new float[3]));
        assertMessage("volumeMl: must be a finite number >= 0, found NaN", overlay().setVolumeMl(Double.NaN));
        assertMessage("seriesDescription: must be 1 to 64 characters saying NOT FOR DIAGNOSIS, found 'Liver'",
                overlay().setSeriesDescription("Liver"));
        TestCtSlices tiny = new TestCtSlices();
        assertMessage("sourceImage: Rows x Columns must hold the burned-in text (18 x 103 pixels), found 16 x 12",
                OverlayImageWriter.builder().setSourceImage(tiny.header(0)).setHu(new float[16 * 12])
                        .setMask(new byte[16 * 12]).setVolumeMl(1));
        AttributeList noGeometry = ct.header(0);
        noGeometry.remove(TagFromName.ImageOrientationPatient);
        assertMessage("sourceImage: (0x0020,0x0037) must hold 6 numbers (the overlay keeps the source's geometry), found none",
                overlay().setSourceImage(noGeometry));
    }

    private static byte[] with(byte[] m, int i, byte v) {
        m[i] = v;
        return m;
    }

    private static void assertMessage(String expected, OverlayImageWriter.Builder b) {
        assertEquals(expected, assertThrows(OverlayException.class, b::build).getMessage());
    }
}
