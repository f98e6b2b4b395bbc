package org.livernode.dicom.seg;

import org.livernode.dicom.attributes.Attributes;
import org.livernode.testing.CtHeaderZoo;
import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.ExternalTool;
import org.livernode.dicom.TestCtSlices;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * SEGs over real CT headers from ../shared/data/ct-header-zoo (each file stacked into a small series: new SOP
 * Instance UIDs, positions stepped along the normal, every other attribute as the real file has it), and over real
 * headers carrying what real senders write that the zoo's files happen not to (over-long DS, NUL-padded CS, invalid
 * dates). Each SEG passes dciodvfy with 0 errors and pydicom reads back what the sources said. Skipped when the zoo
 * is not beside the clone.
 */
class SegmentationOnRealWorldHeadersTest {

    /** Beside the clone (../shared), or beside the folder of worktrees when the clone is a worktree. */
    static final Path ZOO = CtHeaderZoo.DIR;

    @TempDir
    Path dir;

    static Path zoo(String file) {
        Path p = ZOO.resolve(file);
        assumeTrue(Files.isRegularFile(p), "real data absent: " + p.toAbsolutePath() + " (skipped)");
        return p;
    }

    /** The file's header (up to Pixel Data, File Meta included) n times: new SOP Instance UIDs, stepped positions. */
    static List<AttributeList> stacked(Path file, int n) throws Exception {
        List<AttributeList> headers = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            AttributeList h = new AttributeList();
            h.read(file.toString(), TagFromName.PixelData);
            double[] o = DicomAttributes.doubles(h, TagFromName.ImageOrientationPatient);
            double[] p = DicomAttributes.doubles(h, TagFromName.ImagePositionPatient);
            double[] normal = {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
            Attributes.put(h, TagFromName.ImagePositionPatient, Double.toString(p[0] + 2.5 * k * normal[0]),
                    Double.toString(p[1] + 2.5 * k * normal[1]), Double.toString(p[2] + 2.5 * k * normal[2]));
            Attributes.put(h, TagFromName.SOPInstanceUID, TestCtSlices.uid());
            headers.add(h);
        }
        return headers;
    }

    /** A blob in each slice (the first row set too, so a flip shows). */
    static List<byte[]> masks(AttributeList header, int n) {
        int rows = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.Columns, 0);
        List<byte[]> masks = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            byte[] m = new byte[rows * columns];
            for (int r = rows / 4; r < rows / 2 + k; r++) {
                for (int c = columns / 3; c < 2 * columns / 3; c++) {
                    m[r * columns + c] = 1;
                }
            }
            m[columns - 1] = 1;
            masks.add(m);
        }
        return masks;
    }

    Path writeSeg(List<AttributeList> headers, List<byte[]> masks) throws Exception {
        SegmentationWriter writer = SegmentationWriter.builder().setSourceImages(headers).setMasks(masks)
                .setAlgorithm("eas-unet-lits", "1.0.0").build();
        Path seg = dir.resolve("seg-" + System.nanoTime() + ".dcm");
        writer.write(seg);
        return seg;
    }

    /** dciodvfy's errors on the file must be none (its warnings are printed, not judged). */
    static void assertDciodvfyClean(Path seg) throws Exception {
        ExternalTool.Result r = ExternalTool.run(List.of("dciodvfy", seg.toString()), 60);
        String report = r.stdout() + r.stderr();
        System.out.println("dciodvfy " + seg.getFileName() + ":\n" + report);
        assertEquals(List.of(), report.lines().filter(l -> l.startsWith("Error")).toList(), "dciodvfy errors");
        assertEquals(0, r.exitCode(), report);
    }

    /** pydicom's frames name the sources in order, one SEG frame per source slice, and one series holds them all. */
    static void assertReferences(JsonNode py, List<AttributeList> headers) {
        assertEquals(headers.size(), py.get("frames").size());
        for (int k = 0; k < headers.size(); k++) {
            JsonNode frame = py.get("frames").get(k);
            assertEquals(Attributes.string(headers.get(k), TagFromName.SOPInstanceUID), frame.get("referencedSopInstanceUid").asText());
            assertEquals(Attributes.string(headers.get(k), TagFromName.SOPClassUID), frame.get("referencedSopClassUid").asText());
            assertTrue(frame.get("referencedFrameNumber").isNull(), "a single-frame source has no Referenced Frame Number");
        }
        assertEquals(1, py.get("referencedSeries").size());
        assertEquals(Attributes.string(headers.get(0), TagFromName.SeriesInstanceUID),
                py.get("referencedSeries").get(0).get("seriesInstanceUid").asText());
        assertEquals(headers.size(), py.get("referencedSeries").get(0).get("instances").size());
    }

    @Test
    void sourceWithoutFrameOfReferenceGetsASegWithoutOne() throws Exception {
        // 693_UNCI: a CQ500 head CT anonymised without Frame of Reference UID (and without Manufacturer).
        List<AttributeList> headers = stacked(zoo("B02-pydicom-data/693_UNCI.dcm"), 4);
        assertNull(Attributes.string(headers.get(0), TagFromName.FrameOfReferenceUID));
        List<byte[]> masks = masks(headers.get(0), 4);
        Path seg = writeSeg(headers, masks);
        assertDciodvfyClean(seg);

        JsonNode py = SegmentationRoundTripTest.readWithPydicom(seg);
        assertTrue(py.get("header").get("FrameOfReferenceUID").isNull(), "no Frame of Reference is invented");
        assertTrue(py.get("header").get("PositionReferenceIndicator").isNull());
        assertReferences(py, headers);
        for (int k = 0; k < headers.size(); k++) {
            // Each frame still lies where its source slice lies (a viewer places it by reference or by geometry).
            assertEquals(List.of(DicomAttributes.doubles(headers.get(k), TagFromName.ImagePositionPatient)[2]),
                    List.of(py.get("frames").get(k).get("imagePositionPatient").get(2).asDouble()));
            assertEquals(SegTestData.setPixels(masks.get(k)), SegmentationRoundTripTest.ints(py.get("frames").get(k).get("pixels")));
        }
    }

    @Test
    void overLongDecimalStringsAreReformattedWithinSixteenCharacters() throws Exception {
        // What research toolkits write (float32 printed in full): 17+ character DS values in the geometry and patient.
        List<AttributeList> headers = stacked(zoo("B12-highdicom/ct_image.dcm"), 3);
        String[] position = {"-174.60000610351562", "-179.60000610351562", "-23.123456789012345"};
        for (int k = 0; k < headers.size(); k++) {
            AttributeList h = headers.get(k);
            Attributes.put(h, TagFromName.ImagePositionPatient, position[0], position[1],
                    new java.math.BigDecimal(position[2]).add(java.math.BigDecimal.valueOf(2.5 * k)).toPlainString());
            Attributes.put(h, TagFromName.PixelSpacing, "0.48828125000000006", "0.48828125000000006");
            Attributes.put(h, TagFromName.ImageOrientationPatient, "1.0000000000000000", "0.0", "0.0", "0.0",
                    "0.99999999999999989", "0.0");
            Attributes.put(h, TagFromName.SliceThickness, "2.50000000000000000");
            Attributes.put(h, TagFromName.PatientWeight, "70.306818181818187");
        }
        Path seg = writeSeg(headers, masks(headers.get(0), 3));
        assertDciodvfyClean(seg);

        JsonNode py = SegmentationRoundTripTest.readWithPydicom(seg);
        assertEquals("70.3068181818182", py.get("header").get("PatientWeight").asText().strip());
        for (int k = 0; k < headers.size(); k++) {
            JsonNode frame = py.get("frames").get(k);
            for (String value : frame.get("imagePositionPatientAsWritten").asText().strip().split("\\\\")) {
                assertTrue(value.length() <= 16, "DS value '" + value + "' must be at most 16 characters");
            }
            // 16 characters keep the position to 1e-11 mm here: the frame lies on its source slice.
            double[] source = DicomAttributes.doubles(headers.get(k), TagFromName.ImagePositionPatient);
            for (int a = 0; a < 3; a++) {
                assertEquals(source[a], frame.get("imagePositionPatient").get(a).asDouble(), 1e-9);
            }
        }
        assertEquals(0.48828125, py.get("pixelSpacing").get(0).asDouble(), 1e-12);
    }

    @Test
    void paddedAndInvalidCopiedValuesAreMadeValid() throws Exception {
        // A NUL-padded Code String kept as VR UN (PixelMed trims a NUL pad from a CS it parses, not from an element
        // it could not type, which is copied byte for byte), a lower-case one, and ACR-NEMA style date and time.
        List<AttributeList> headers = stacked(zoo("B01-pydicom/CT_small.dcm"), 3);
        for (AttributeList h : headers) {
            com.pixelmed.dicom.UnknownAttribute sex = new com.pixelmed.dicom.UnknownAttribute(TagFromName.PatientSex);
            sex.setValues(new byte[] {'M', 0});
            h.put(sex);
            Attributes.put(h, TagFromName.PatientBirthDate, "1970.01.31");
            Attributes.put(h, TagFromName.StudyTime, "10:20:30");
            Attributes.put(h, TagFromName.PatientIdentityRemoved, "yes");
            Attributes.put(h, TagFromName.DeidentificationMethod, "CTP\0");
        }

        Path seg = writeSeg(headers, masks(headers.get(0), 3));
        assertDciodvfyClean(seg);
        JsonNode header = SegmentationRoundTripTest.readWithPydicom(seg).get("header");
        assertEquals("M ", header.get("PatientSex").asText(), "the NUL pad is gone (a space pads to even length)");
        assertEquals("19700131", header.get("PatientBirthDate").asText());
        assertEquals("102030", header.get("StudyTime").asText());
    }

    @Test
    void missingPatientStudyAndEquipmentValuesStillGiveAValidSeg() throws Exception {
        // 693_UNCI has no Manufacturer; take out Slice Thickness and the patient and study Type 2 values as well.
        List<AttributeList> headers = stacked(zoo("B02-pydicom-data/693_UNCI.dcm"), 1);
        AttributeList h = headers.get(0);
        for (AttributeTag tag : new AttributeTag[] {TagFromName.SliceThickness, TagFromName.PatientName, TagFromName.PatientID,
                TagFromName.PatientBirthDate, TagFromName.PatientSex, TagFromName.StudyDate, TagFromName.StudyTime,
                TagFromName.ReferringPhysicianName, TagFromName.StudyID, TagFromName.AccessionNumber}) {
            h.remove(tag);
        }
        Attributes.put(h, TagFromName.SpacingBetweenSlices, "5");
        Path seg = writeSeg(headers, masks(h, 1));
        assertDciodvfyClean(seg);
        JsonNode py = SegmentationRoundTripTest.readWithPydicom(seg);
        assertEquals("", py.get("header").get("PatientID").asText(), "Type 2: present and empty");
        assertEquals("livernode", py.get("header").get("Manufacturer").asText().strip());
        assertReferences(py, headers);
    }

    @Test
    void lossySourcesMakeALossySeg() throws Exception {
        // JPEG baseline: the source says 01 with ratio and method; J2K lossy: the same; J2K whose header forgot to
        // say: the transfer syntax alone makes the SEG lossy, with the method it names.
        String[][] cases = {
                {"B03-cornerstoneWADO/CTImage.dcm_JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50.dcm", "8.87", "ISO_10918_1"},
                {"B03-cornerstoneWADO/CTImage.dcm_JPEG2000TransferSyntax_1.2.840.10008.1.2.4.91.dcm", null, "ISO_15444_1"},
                {"B01-pydicom/693_J2KI.dcm", "338.687338501292", "ISO_15444_1"}};
        for (String[] c : cases) {
            List<AttributeList> headers = stacked(zoo(c[0]), 2);
            if (c[1] == null) {
                headers.forEach(h -> {
                    h.remove(TagFromName.LossyImageCompression);
                    h.remove(TagFromName.LossyImageCompressionRatio);
                    h.remove(TagFromName.LossyImageCompressionMethod);
                });
            }
            Path seg = writeSeg(headers, masks(headers.get(0), 2));
            assertDciodvfyClean(seg);
            JsonNode header = SegmentationRoundTripTest.readWithPydicom(seg).get("header");
            assertEquals("01", header.get("LossyImageCompression").asText(), c[0]);
            if (c[1] != null) {
                assertEquals(c[1], header.get("LossyImageCompressionRatio").asText().strip(), c[0]);
            }
            assertEquals(c[2], header.get("LossyImageCompressionMethod").asText().strip(), c[0]);
        }
    }

    @Test
    void losslessSourceStaysLossless() throws Exception {
        List<AttributeList> headers = stacked(zoo("B03-cornerstoneWADO/CTImage.dcm_JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90.dcm"), 2);
        Path seg = writeSeg(headers, masks(headers.get(0), 2));
        assertDciodvfyClean(seg);
        JsonNode header = SegmentationRoundTripTest.readWithPydicom(seg).get("header");
        assertEquals("00", header.get("LossyImageCompression").asText());
        assertTrue(header.get("LossyImageCompressionRatio").isNull());
    }
}
