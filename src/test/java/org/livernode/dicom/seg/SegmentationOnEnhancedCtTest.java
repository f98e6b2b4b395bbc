package org.livernode.dicom.seg;

import org.livernode.dicom.attributes.Attributes;
import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.vocabulary.SopClasses;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SEGs over real Enhanced CT (multi-frame) images from the zoo (NEMA CT0012 in three encodings, read by PixelMed):
 * one SEG frame per source frame, each referencing its image and frame (Referenced Frame Number), on that frame's
 * own position; the Common Instance Reference names the image once. dciodvfy 0 errors, read back by pydicom.
 */
class SegmentationOnEnhancedCtTest {

    @TempDir
    Path dir;

    static AttributeList header(String zooFile) throws Exception {
        AttributeList h = new AttributeList();
        h.read(SegmentationOnRealWorldHeadersTest.zoo(zooFile).toString(), TagFromName.PixelData);
        return h;
    }

    @Test
    void framesOfAnEnhancedCtImageAreReadFromItsFunctionalGroups() throws Exception {
        AttributeList h = header("B02-pydicom-data/eCT_Supplemental.dcm");
        List<SourceFrame> frames = SourceFrame.framesOf(h);
        assertEquals(2, frames.size());
        for (int f = 0; f < 2; f++) {
            SourceFrame frame = frames.get(f);
            assertEquals(SopClasses.ENHANCED_CT_IMAGE_STORAGE, frame.sopClassUid());
            assertEquals(Attributes.string(h, TagFromName.SOPInstanceUID), frame.sopInstanceUid());
            assertEquals(f + 1, frame.referencedFrameNumber());
            assertEquals(-159.0 + 10 * f, frame.imagePositionPatient()[2], 1e-9);
            assertEquals(10.0, frame.sliceThickness(), 1e-9, "from the frame's Pixel Measures");
            assertEquals(0.388672, frame.pixelSpacing()[0], 1e-9);
        }
    }

    @Test
    void segOverEnhancedCtReferencesEachFrame() throws Exception {
        String[] files = {"B02-pydicom-data/eCT_Supplemental.dcm", "B04-dicomParser/multi-frame/CT0012.explicit_little_endian.dcm",
                "B03-cornerstoneWADO/CT0012.fragmented_no_bot_jpeg_baseline.51.dcm"};
        for (String file : files) {
            AttributeList h = header(file);
            List<byte[]> masks = SegmentationOnRealWorldHeadersTest.masks(h, 2);
            SegmentationWriter writer = SegmentationWriter.builder().setSourceImages(List.of(h)).setMasks(masks)
                    .setAlgorithm("eas-unet-lits", "1.0.0").build();
            Path seg = dir.resolve("seg-" + System.nanoTime() + ".dcm");
            writer.write(seg);
            SegmentationOnRealWorldHeadersTest.assertDciodvfyClean(seg);

            JsonNode py = SegmentationRoundTripTest.readWithPydicom(seg);
            String uid = Attributes.string(h, TagFromName.SOPInstanceUID);
            assertEquals(2, py.get("frames").size(), file);
            List<SourceFrame> frames = SourceFrame.framesOf(h);
            for (int f = 0; f < 2; f++) {
                JsonNode frame = py.get("frames").get(f);
                assertEquals(uid, frame.get("referencedSopInstanceUid").asText(), file);
                assertEquals(SopClasses.ENHANCED_CT_IMAGE_STORAGE, frame.get("referencedSopClassUid").asText(), file);
                assertEquals(f + 1, frame.get("referencedFrameNumber").asInt(), file);
                assertEquals(frames.get(f).imagePositionPatient()[2], frame.get("imagePositionPatient").get(2).asDouble(), 1e-9);
                assertEquals(SegTestData.setPixels(masks.get(f)), SegmentationRoundTripTest.ints(frame.get("pixels")), file);
            }
            JsonNode series = py.get("referencedSeries");
            assertEquals(1, series.size(), file);
            assertEquals(Attributes.string(h, TagFromName.SeriesInstanceUID), series.get(0).get("seriesInstanceUid").asText());
            assertEquals(List.of(uid), List.of(series.get(0).get("instances").get(0).asText()));
            assertEquals(1, series.get(0).get("instances").size(), "the image is named once, not once per frame");
            assertEquals(file.contains("jpeg_baseline") ? "01" : "00", py.get("header").get("LossyImageCompression").asText(), file);
        }
    }

    @Test
    void sourceFramesInTheCallersOrder() throws Exception {
        // A reader that sorts the frames along the normal passes them in its own order: the SEG follows it.
        AttributeList h = header("B04-dicomParser/multi-frame/CT0012.explicit_little_endian.dcm");
        List<SourceFrame> frames = SourceFrame.framesOf(h);
        List<SourceFrame> reversed = List.of(frames.get(1), frames.get(0));
        List<byte[]> masks = SegmentationOnRealWorldHeadersTest.masks(h, 2);
        // Repeats of the header (one per slice, as a per-slice header list has them) count once.
        SegmentationWriter writer = SegmentationWriter.builder().setSourceImages(List.of(h, h)).optSourceFrames(reversed)
                .setMasks(masks).setAlgorithm("eas-unet-lits", "1.0.0").build();
        Path seg = dir.resolve("reversed.dcm");
        writer.write(seg);
        SegmentationOnRealWorldHeadersTest.assertDciodvfyClean(seg);
        JsonNode py = SegmentationRoundTripTest.readWithPydicom(seg);
        assertEquals(2, py.get("frames").get(0).get("referencedFrameNumber").asInt());
        assertEquals(1, py.get("frames").get(1).get("referencedFrameNumber").asInt());
        assertEquals(SegTestData.setPixels(masks.get(0)), SegmentationRoundTripTest.ints(py.get("frames").get(0).get("pixels")));
    }

    @Test
    void sourceFramesMustBeFramesOfTheSourceImages() throws Exception {
        AttributeList h = header("B04-dicomParser/multi-frame/CT0012.explicit_little_endian.dcm");
        SourceFrame first = SourceFrame.framesOf(h).get(0);
        SourceFrame third = new SourceFrame(first.sopClassUid(), first.sopInstanceUid(), 3, new double[] {0, 0, 7},
                first.imageOrientationPatient(), first.pixelSpacing(), Double.NaN);
        SourceFrame elsewhere = new SourceFrame(first.sopClassUid(), "2.25.99", 1, new double[] {0, 0, 9},
                first.imageOrientationPatient(), first.pixelSpacing(), Double.NaN);
        List<byte[]> masks = SegmentationOnRealWorldHeadersTest.masks(h, 2);
        SegmentationException tooFar = assertThrows(SegmentationException.class, () -> SegmentationWriter.builder()
                .setSourceImages(List.of(h)).optSourceFrames(List.of(first, third)).setMasks(masks).setAlgorithm("m", "1").build());
        assertTrue(tooFar.getMessage().contains("sourceFrames[1]: referencedFrameNumber must be at most the image's NumberOfFrames 2, found 3"),
                tooFar.getMessage());
        SegmentationException unknown = assertThrows(SegmentationException.class, () -> SegmentationWriter.builder()
                .setSourceImages(List.of(h)).optSourceFrames(List.of(first, elsewhere)).setMasks(masks).setAlgorithm("m", "1").build());
        assertTrue(unknown.getMessage().contains("sourceFrames[1]: must be a frame of one of the source images, found 2.25.99"),
                unknown.getMessage());
        SegmentationException negative = assertThrows(SegmentationException.class, () -> new SourceFrame(first.sopClassUid(),
                first.sopInstanceUid(), -1, first.imagePositionPatient(), first.imageOrientationPatient(), first.pixelSpacing(), 1));
        assertTrue(negative.getMessage().contains("referencedFrameNumber must be >= 1"), negative.getMessage());
    }
}
