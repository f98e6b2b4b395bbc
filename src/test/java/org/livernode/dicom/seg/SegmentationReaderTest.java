package org.livernode.dicom.seg;

import org.livernode.dicom.attributes.Attributes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.ExternalTool;
import org.livernode.dicom.TestCtSlices;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader on SEGs it did not write: a two-segment SEG made by pydicom, and files it must refuse. */
class SegmentationReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsATwoSegmentSegWrittenByPydicom() throws Exception {
        Path file = dir.resolve("two-segments.dcm");
        Path script = Path.of("src/test/resources/seg/write_seg.py").toAbsolutePath();
        ExternalTool.Result r = ExternalTool.run(List.of(SegmentationRoundTripTest.PYTHON, script.toString(), file.toString()), 120);
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode written = new ObjectMapper().readTree(r.stdout());

        DecodedSegmentation seg = SegmentationReader.read(file);
        assertEquals(Map.of(1, "Liver", 2, "Spleen"), seg.segmentLabels());
        assertEquals(written.get("frames").size(), seg.frames().size());
        assertArrayEquals(new double[] {0.5, 0.6}, seg.pixelSpacing());
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, seg.imageOrientationPatient());
        for (int f = 0; f < seg.frames().size(); f++) {
            JsonNode expected = written.get("frames").get(f);
            SegmentationFrame frame = seg.frames().get(f);
            assertEquals(expected.get("segmentNumber").asInt(), frame.segmentNumber(), "frame " + (f + 1));
            assertEquals(expected.get("referencedSopInstanceUid").asText(), frame.referencedSopInstanceUid());
            assertArrayEquals(SegmentationRoundTripTest.doubles(expected.get("imagePositionPatient")), frame.imagePositionPatient(), 1e-9);
            assertEquals(SegmentationRoundTripTest.ints(expected.get("pixels")), SegTestData.setPixels(frame.mask()), "frame " + (f + 1));
        }
        assertEquals(3, seg.masksByReferencedSopInstanceUid(2).size());
    }

    @Test
    void refusesWhatIsNotABinarySeg() throws Exception {
        TestCtSlices ct = new TestCtSlices();
        ct.slices = 1;
        Path ctFile = ct.writeFiles(dir).get(0);
        SegmentationException notSeg = assertThrows(SegmentationException.class, () -> SegmentationReader.read(ctFile));
        assertTrue(notSeg.getMessage().contains("SOPClassUID must be Segmentation Storage"), notSeg.getMessage());

        AttributeList fractional = SegmentationWriter.builder().setSourceImages(ct.headers())
                .setMasks(List.of(new byte[ct.rows * ct.columns])).setAlgorithm("m", "1").build().build();
        Attributes.put(fractional, TagFromName.SegmentationType, "FRACTIONAL");
        SegmentationException e = assertThrows(SegmentationException.class, () -> SegmentationReader.decode(fractional, "x.dcm"));
        assertTrue(e.getMessage().contains("x.dcm: SegmentationType must be BINARY, found FRACTIONAL"), e.getMessage());
    }
}
