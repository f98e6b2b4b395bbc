package org.livernode.dicom.seg;

import org.livernode.dicom.attributes.Attributes;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;
import org.livernode.dicom.TestCtSlices;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rule the writer checks when it is built: each message names the parameter, the rule and the value found. */
class SegmentationValidationTest {

    private final TestCtSlices ct = new TestCtSlices();

    private List<byte[]> masks(int n) {
        List<byte[]> masks = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            masks.add(SegTestData.truthMask(ct, k));
        }
        return masks;
    }

    private SegmentationWriter.Builder valid() throws DicomException {
        return SegmentationWriter.builder().setSourceImages(ct.headers()).setMasks(masks(ct.slices)).setAlgorithm("m", "1");
    }

    private static void assertRejected(SegmentationWriter.Builder builder, String... fragments) {
        SegmentationException e = assertThrows(SegmentationException.class, builder::build);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    private SegmentationWriter.Builder withSlice(int k, Consumer<AttributeList> change) throws DicomException {
        List<AttributeList> headers = ct.headers();
        change.accept(headers.get(k));
        return valid().setSourceImages(headers);
    }

    private static Consumer<AttributeList> set(AttributeTag tag, String... values) {
        return h -> Attributes.put(h, tag, values);
    }

    @Test
    void theValidBuilderBuilds() throws DicomException {
        assertTrue(valid().build().frameCount() == ct.slices);
    }

    @Test
    void noSourceImages() throws DicomException {
        assertRejected(valid().setSourceImages(List.of()).setMasks(List.of()), "sourceImages", "at least one", "found 0");
        assertRejected(valid().setSourceImages(null), "sourceImages", "found null");
    }

    @Test
    void maskCountMismatch() throws DicomException {
        assertRejected(valid().setMasks(masks(3)), "masks", "one mask per source frame", "found 3 masks for 5");
    }

    @Test
    void maskSizeMismatch() throws DicomException {
        List<byte[]> masks = masks(ct.slices);
        masks.set(2, new byte[100]);
        assertRejected(valid().setMasks(masks), "masks[2]", "Rows*Columns = 16*12 = 192", "found 100");
    }

    @Test
    void maskValueNotBinary() throws DicomException {
        List<byte[]> masks = masks(ct.slices);
        masks.get(1)[7] = (byte) 255;
        assertRejected(valid().setMasks(masks), "masks[1][7]", "0 or 1", "found -1");
    }

    @Test
    void rowsColumnsMismatch() throws DicomException {
        assertRejected(withSlice(3, set(TagFromName.Rows, "32")), "sourceImages[3]", "Rows x Columns", "16x12", "found 32x12");
    }

    @Test
    void sourcesFromDifferentSeries() throws DicomException {
        assertRejected(withSlice(2, set(TagFromName.SeriesInstanceUID, "2.25.1")), "sourceImages[2]", "SeriesInstanceUID",
                "must equal the first source's " + ct.seriesUid, "found 2.25.1");
    }

    @Test
    void sourcesFromDifferentFrameOfReference() throws DicomException {
        assertRejected(withSlice(4, set(TagFromName.FrameOfReferenceUID, "2.25.2")), "sourceImages[4]", "FrameOfReferenceUID",
                "found 2.25.2");
    }

    @Test
    void sourcesFromDifferentStudy() throws DicomException {
        assertRejected(withSlice(1, set(TagFromName.StudyInstanceUID, "2.25.3")), "sourceImages[1]", "StudyInstanceUID", "found 2.25.3");
    }

    @Test
    void missingGeometry() throws DicomException {
        assertRejected(withSlice(2, h -> h.remove(TagFromName.ImagePositionPatient)), "sourceImages[2]", "ImagePositionPatient",
                "geometry is required", "found none");
        assertRejected(withSlice(0, set(TagFromName.ImageOrientationPatient, "1", "0", "0")), "sourceImages[0]",
                "ImageOrientationPatient", "must hold 6 numbers", "found 1\\0\\0");
        assertRejected(withSlice(1, h -> h.remove(TagFromName.PixelSpacing)), "sourceImages[1]", "PixelSpacing", "found none");
    }

    @Test
    void someSourcesWithAndSomeWithoutFrameOfReference() throws DicomException {
        assertRejected(withSlice(3, h -> h.remove(TagFromName.FrameOfReferenceUID)), "sourceImages[3]", "FrameOfReferenceUID",
                "or none for all", "found none");
    }

    @Test
    void missingSliceThicknessOfASingleSlice() throws DicomException {
        List<AttributeList> one = ct.headers().subList(0, 1);
        one.get(0).remove(TagFromName.SliceThickness);
        one.get(0).remove(TagFromName.SpacingBetweenSlices);
        assertRejected(valid().setSourceImages(one).setMasks(masks(1)), "sourceImages[0]", "SliceThickness", "found neither");
    }

    @Test
    void orientationOrSpacingDiffers() throws DicomException {
        assertRejected(withSlice(2, set(TagFromName.ImageOrientationPatient, "0", "1", "0", "1", "0", "0")), "sourceFrames[2]",
                "ImageOrientationPatient must equal the first frame's 1\\0\\0\\0\\1\\0", "found 0\\1\\0\\1\\0\\0");
        assertRejected(withSlice(1, set(TagFromName.PixelSpacing, "0.5", "0.5")), "sourceFrames[1]", "PixelSpacing", "found 0.5\\0.5");
    }

    @Test
    void twoSlicesOnOnePlane() throws DicomException {
        double[] p = ct.position(1);
        assertRejected(withSlice(3, set(TagFromName.ImagePositionPatient, Double.toString(p[0] + 5), Double.toString(p[1]),
                Double.toString(p[2]))), "sourceFrames[3]", "own plane", "sourceFrames[1]");
    }

    @Test
    void duplicateSopInstance() throws DicomException {
        List<AttributeList> headers = ct.headers();
        String uid = com.pixelmed.dicom.Attribute.getSingleStringValueOrNull(headers.get(0), TagFromName.SOPInstanceUID);
        Attributes.put(headers.get(2), TagFromName.SOPInstanceUID, uid);
        assertRejected(valid().setSourceImages(headers), "sourceImages[2]", "SOPInstanceUID must be unique", uid);
    }

    @Test
    void missingSopInstanceUid() throws DicomException {
        assertRejected(withSlice(1, h -> h.remove(TagFromName.SOPInstanceUID)), "sourceImages[1]", "SOPInstanceUID", "is required");
    }

    @Test
    void algorithmAndLabels() throws DicomException {
        assertRejected(valid().setAlgorithm(" ", "1"), "algorithmName", "found ' '");
        assertRejected(valid().setAlgorithm("m", null), "algorithmVersion", "found null");
        assertRejected(valid().setContentLabel("liver seg"), "contentLabel", "A-Z", "found 'liver seg'");
        assertRejected(valid().setSeriesDescription("x".repeat(65)), "seriesDescription", "1 to 64");
        assertRejected(valid().setSeriesNumber(-1), "seriesNumber", "found -1");
    }
}
