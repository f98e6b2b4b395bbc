package org.livernode.dicom.seg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.ExternalTool;
import org.livernode.dicom.TestCtSlices;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A SEG over a CT series: dciodvfy-clean, and read back exactly (PixelMed and pydicom) on the right voxels. */
class SegmentationRoundTripTest {

    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    /** The slices in "file order" with their truth masks; the SEG frames follow this order. */
    record Written(TestCtSlices ct, List<AttributeList> headers, List<Integer> volumeIndex, SegmentationWriter writer, Path file) {
    }

    private Written write(TestCtSlices ct, List<Integer> fileOrder, boolean omitEmpty) throws Exception {
        List<AttributeList> volume = ct.headers();
        List<AttributeList> headers = new ArrayList<>();
        List<byte[]> masks = new ArrayList<>();
        for (int k : fileOrder) {
            headers.add(volume.get(k));
            masks.add(SegTestData.truthMask(ct, k));
        }
        SegmentationWriter writer = SegmentationWriter.builder().setSourceImages(headers).setMasks(masks)
                .setAlgorithm("eas-unet-lits", "1.2.0").setSeriesNumber(77).setSeriesDescription("Liver (test)")
                .optOmitEmptyFrames(omitEmpty).build();
        Path file = dir.resolve("seg-" + System.nanoTime() + ".dcm");
        writer.write(file);
        return new Written(ct, headers, fileOrder, writer, file);
    }

    static List<Integer> inOrder(int n) {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            order.add(k);
        }
        return order;
    }

    @Test
    void passesDciodvfyWithZeroErrors() throws Exception {
        Written w = write(new TestCtSlices(), inOrder(5), false);
        ExternalTool.Result r = ExternalTool.run(List.of("dciodvfy", w.file().toString()), 60);
        String report = r.stdout() + r.stderr();
        List<String> errors = report.lines().filter(l -> l.startsWith("Error")).toList();
        System.out.println("dciodvfy on a livernode SEG (exit " + r.exitCode() + "):\n" + report);
        assertEquals(List.of(), errors, "dciodvfy errors");
        assertEquals(0, r.exitCode(), "dciodvfy exit code\n" + report);
    }

    @Test
    void headerCarriesPatientStudyFrameOfReferenceAndNewSeries() throws Exception {
        TestCtSlices ct = new TestCtSlices();
        Written w = write(ct, inOrder(5), false);
        AttributeList seg = new AttributeList();
        seg.read(w.file().toFile());
        AttributeList source = w.headers().get(0);
        for (var tag : List.of(TagFromName.PatientName, TagFromName.PatientID, TagFromName.StudyInstanceUID,
                TagFromName.AccessionNumber, TagFromName.FrameOfReferenceUID)) {
            assertEquals(Attribute.getSingleStringValueOrNull(source, tag), Attribute.getSingleStringValueOrNull(seg, tag), tag.toString());
        }
        String series = Attribute.getSingleStringValueOrNull(seg, TagFromName.SeriesInstanceUID);
        assertTrue(series.startsWith("2.25."), series);
        assertNotEquals(ct.seriesUid, series);
        assertEquals(w.writer().seriesInstanceUid(), series);
        assertEquals(w.writer().sopInstanceUid(), Attribute.getSingleStringValueOrNull(seg, TagFromName.SOPInstanceUID));
        assertEquals("1.2.840.10008.1.2.1", Attribute.getSingleStringValueOrNull(seg, TagFromName.TransferSyntaxUID));
        assertEquals("77", Attribute.getSingleStringValueOrNull(seg, TagFromName.SeriesNumber));
        assertEquals("SEG", Attribute.getSingleStringValueOrNull(seg, TagFromName.Modality));
        assertEquals("BINARY", Attribute.getSingleStringValueOrNull(seg, TagFromName.SegmentationType));
        assertEquals("livernode", Attribute.getSingleStringValueOrNull(seg, TagFromName.Manufacturer));
        assertEquals("DERIVED\\PRIMARY", Attribute.getDelimitedStringValuesOrNull(seg, TagFromName.ImageType));
        assertTrue(Attribute.getDelimitedStringValuesOrNull(seg, TagFromName.SoftwareVersions).contains("eas-unet-lits 1.2.0"));
        AttributeList segment = DicomAttributes.firstItem(seg, TagFromName.SegmentSequence);
        assertEquals("Liver", Attribute.getSingleStringValueOrNull(segment, TagFromName.SegmentLabel));
        assertEquals("AUTOMATIC", Attribute.getSingleStringValueOrNull(segment, TagFromName.SegmentAlgorithmType));
        assertEquals("eas-unet-lits", Attribute.getSingleStringValueOrNull(segment, DicomAttributes.SEGMENT_ALGORITHM_NAME));
        assertEquals("10200004", Attribute.getSingleStringValueOrNull(
                DicomAttributes.firstItem(segment, TagFromName.SegmentedPropertyTypeCodeSequence), TagFromName.CodeValue));
        assertEquals("123037004", Attribute.getSingleStringValueOrNull(
                DicomAttributes.firstItem(segment, TagFromName.SegmentedPropertyCategoryCodeSequence), TagFromName.CodeValue));
    }

    @Test
    void pixelmedReaderGivesBackEveryMaskOnItsSlice() throws Exception {
        TestCtSlices ct = new TestCtSlices();
        Written w = write(ct, inOrder(5), false);
        DecodedSegmentation seg = SegmentationReader.read(w.file());
        assertEquals(5, seg.frames().size());
        assertEquals(Map.of(1, "Liver"), seg.segmentLabels());
        for (int f = 0; f < 5; f++) {
            SegmentationFrame frame = seg.frames().get(f);
            int k = w.volumeIndex().get(f);
            assertEquals(Attribute.getSingleStringValueOrNull(w.headers().get(f), TagFromName.SOPInstanceUID), frame.referencedSopInstanceUid());
            assertArrayEquals(ct.position(k), frame.imagePositionPatient(), 1e-9);
            assertArrayEquals(SegTestData.truthMask(ct, k), frame.mask(), "frame " + (f + 1));
            assertEquals(1, frame.segmentNumber());
        }
    }

    @Test
    void pydicomReadsExactlyTheWrittenMasksInPlace() throws Exception {
        TestCtSlices ct = new TestCtSlices();
        ct.rows = 13; // odd frame size: frames are packed across byte boundaries
        ct.columns = 11;
        Written w = write(ct, inOrder(5), false);
        JsonNode seg = readWithPydicom(w.file());
        assertEquals("1.2.840.10008.5.1.4.1.1.66.4", seg.get("sopClassUid").asText());
        assertEquals("1.2.840.10008.1.2.1", seg.get("transferSyntax").asText());
        JsonNode frames = seg.get("frames");
        assertEquals(5, frames.size());
        for (int f = 0; f < frames.size(); f++) {
            JsonNode frame = frames.get(f);
            int k = w.volumeIndex().get(f);
            assertEquals(Attribute.getSingleStringValueOrNull(w.headers().get(f), TagFromName.SOPInstanceUID),
                    frame.get("referencedSopInstanceUid").asText());
            assertArrayEquals(ct.position(k), doubles(frame.get("imagePositionPatient")), 1e-9);
            assertEquals(SegTestData.setPixels(SegTestData.truthMask(ct, k)), ints(frame.get("pixels")), "frame " + (f + 1));
        }
        assertEquals(SegTestData.truthPoints(ct), pointsOf(seg));
    }

    @Test
    void negativeSpacingReversedFileOrderAndOffsetOriginLandOnTheSameVoxels() throws Exception {
        TestCtSlices ct = new TestCtSlices();
        ct.slices = 7;
        ct.sliceSpacing = -2.5;
        ct.origin = new double[] {-170.3, -200.7, 100.25};
        ct.orientation = new double[] {1, 0, 0, 0, 0.8660254, -0.5}; // tilted gantry: not plain axial
        List<Integer> order = inOrder(7);
        Collections.reverse(order);
        Collections.swap(order, 1, 4); // and not monotonic either
        Written w = write(ct, order, false);

        Set<String> truth = SegTestData.truthPoints(ct);
        assertEquals(truth, pointsOf(readWithPydicom(w.file())), "pydicom: SEG pixels in patient space");

        DecodedSegmentation seg = SegmentationReader.read(w.file());
        Set<String> pixelmedPoints = new TreeSet<>();
        Map<String, Integer> volumeIndexByUid = new HashMap<>();
        List<AttributeList> volume = w.headers();
        for (int f = 0; f < volume.size(); f++) {
            volumeIndexByUid.put(Attribute.getSingleStringValueOrNull(volume.get(f), TagFromName.SOPInstanceUID), order.get(f));
        }
        for (SegmentationFrame frame : seg.frames()) {
            int k = volumeIndexByUid.get(frame.referencedSopInstanceUid());
            // The frame's own position must be its source slice's, and its mask that slice's truth mask.
            assertArrayEquals(ct.position(k), frame.imagePositionPatient(), 1e-9);
            assertArrayEquals(SegTestData.truthMask(ct, k), frame.mask());
            pixelmedPoints.addAll(SegTestData.patientPoints(frame.imagePositionPatient(), seg.imageOrientationPatient(),
                    seg.pixelSpacing(), seg.columns(), SegTestData.setPixels(frame.mask())));
        }
        assertEquals(truth, pixelmedPoints, "PixelMed: SEG pixels in patient space");
        assertTrue(truth.size() > 50, "the test masks cover " + truth.size() + " voxels");
    }

    @Test
    void omitEmptyFramesKeepsOnlyFramesWithLiverAndStillValidates() throws Exception {
        TestCtSlices ct = new TestCtSlices();
        Written w = write(ct, inOrder(5), true);
        DecodedSegmentation seg = SegmentationReader.read(w.file());
        assertEquals(3, w.writer().frameCount());
        assertEquals(3, seg.frames().size());
        Map<String, byte[]> byUid = seg.masksByReferencedSopInstanceUid(1);
        for (int k = 1; k <= 3; k++) {
            String uid = Attribute.getSingleStringValueOrNull(w.headers().get(k), TagFromName.SOPInstanceUID);
            assertArrayEquals(SegTestData.truthMask(ct, k), byUid.get(uid), "slice " + k);
        }
        assertEquals(SegTestData.truthPoints(ct), pointsOf(readWithPydicom(w.file())));
        ExternalTool.Result r = ExternalTool.run(List.of("dciodvfy", w.file().toString()), 60);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    }

    @Test
    void allEmptyWithOmitKeepsOneEmptyFrame() throws Exception {
        TestCtSlices ct = new TestCtSlices();
        List<AttributeList> headers = ct.headers();
        List<byte[]> empty = new ArrayList<>();
        headers.forEach(h -> empty.add(new byte[ct.rows * ct.columns]));
        SegmentationWriter writer = SegmentationWriter.builder().setSourceImages(headers).setMasks(empty)
                .setAlgorithm("m", "1").optOmitEmptyFrames(true).build();
        Path file = dir.resolve("empty.dcm");
        writer.write(file);
        DecodedSegmentation seg = SegmentationReader.read(file);
        assertEquals(1, seg.frames().size());
        assertEquals(0, seg.frames().get(0).pixelCount());
    }

    @Test
    void readerDecodesBigRandomMasksBitExactly() throws Exception {
        TestCtSlices ct = new TestCtSlices();
        ct.rows = 37;
        ct.columns = 29;
        ct.slices = 9;
        Random random = new Random(42);
        List<byte[]> masks = new ArrayList<>();
        for (int k = 0; k < ct.slices; k++) {
            byte[] m = new byte[ct.rows * ct.columns];
            for (int i = 0; i < m.length; i++) {
                m[i] = (byte) (random.nextInt(3) == 0 ? 1 : 0);
            }
            masks.add(m);
        }
        SegmentationWriter writer = SegmentationWriter.builder().setSourceImages(ct.headers()).setMasks(masks)
                .setAlgorithm("m", "1").build();
        Path file = dir.resolve("random.dcm");
        writer.write(file);
        DecodedSegmentation seg = SegmentationReader.read(file);
        JsonNode py = readWithPydicom(file);
        for (int k = 0; k < ct.slices; k++) {
            assertArrayEquals(masks.get(k), seg.frames().get(k).mask(), "PixelMed frame " + (k + 1));
            assertEquals(SegTestData.setPixels(masks.get(k)), ints(py.get("frames").get(k).get("pixels")), "pydicom frame " + (k + 1));
        }
    }

    static JsonNode readWithPydicom(Path seg) throws Exception {
        Path script = Path.of("src/test/resources/seg/read_seg.py").toAbsolutePath();
        ExternalTool.Result r = ExternalTool.run(List.of(PYTHON, script.toString(), seg.toString()), 120);
        assertEquals(0, r.exitCode(), "pydicom reader failed (python3-pydicom installed? see .ci/install-deps):\n" + r.stderr());
        return new ObjectMapper().readTree(r.stdout());
    }

    /** Patient-space points of every set pixel in a pydicom-decoded SEG, from its own geometry. */
    static Set<String> pointsOf(JsonNode seg) {
        Set<String> points = new TreeSet<>();
        for (JsonNode frame : seg.get("frames")) {
            points.addAll(SegTestData.patientPoints(doubles(frame.get("imagePositionPatient")), doubles(seg.get("orientation")),
                    doubles(seg.get("pixelSpacing")), seg.get("columns").asInt(), ints(frame.get("pixels"))));
        }
        return points;
    }

    static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }

    static List<Integer> ints(JsonNode array) {
        List<Integer> v = new ArrayList<>();
        array.forEach(n -> v.add(n.asInt()));
        return v;
    }
}
