package org.livernode.dicom.seg;

import org.livernode.dicom.attributes.Attributes;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.ExternalTool;
import org.livernode.dicom.TestCtSlices;
import org.livernode.testing.SiemensJ2k;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A SEG over real Siemens CT headers (../shared/data/siemens-ct-j2k, UIDs blanked by anonymisation and filled in
 * here): still dciodvfy-clean, frames on the scanner's own positions. Skipped when the data is not beside the clone.
 */
class SegmentationOnScannerHeadersTest {

    @TempDir
    Path dir;

    @Test
    void segOverRealScannerHeadersPassesDciodvfy() throws Exception {
        List<Path> files = SiemensJ2k.originals();
        String study = TestCtSlices.uid();
        String series = TestCtSlices.uid();
        List<AttributeList> headers = new ArrayList<>();
        List<byte[]> masks = new ArrayList<>();
        for (Path f : files) {
            AttributeList h = new AttributeList();
            h.read(f.toString(), TagFromName.PixelData);
            Attributes.put(h, TagFromName.SOPClassUID, Attribute.getSingleStringValueOrNull(h, TagFromName.MediaStorageSOPClassUID));
            Attributes.put(h, TagFromName.SOPInstanceUID, Attribute.getSingleStringValueOrNull(h, TagFromName.MediaStorageSOPInstanceUID));
            Attributes.put(h, TagFromName.StudyInstanceUID, study);
            Attributes.put(h, TagFromName.SeriesInstanceUID, series);
            headers.add(h);
            byte[] mask = new byte[512 * 512];
            for (int i = 100 * 512 + 200; i < 300 * 512; i += 3) {
                mask[i] = 1;
            }
            masks.add(mask);
        }
        SegmentationWriter writer = SegmentationWriter.builder().setSourceImages(headers).setMasks(masks)
                .setAlgorithm("eas-unet-lits", "1.0.0").build();
        Path seg = dir.resolve("seg.dcm");
        writer.write(seg);

        ExternalTool.Result r = ExternalTool.run(List.of("dciodvfy", seg.toString()), 60);
        String report = r.stdout() + r.stderr();
        System.out.println("dciodvfy on a SEG over real Siemens headers:\n" + report);
        assertEquals(List.of(), report.lines().filter(l -> l.startsWith("Error")).toList());
        assertEquals(0, r.exitCode());

        DecodedSegmentation decoded = SegmentationReader.read(seg);
        assertEquals(files.size(), decoded.frames().size());
        for (int k = 0; k < files.size(); k++) {
            SegmentationFrame frame = decoded.frames().get(k);
            assertEquals(Attribute.getSingleStringValueOrNull(headers.get(k), TagFromName.SOPInstanceUID), frame.referencedSopInstanceUid());
            assertArrayEquals(DicomAttributes.doubles(headers.get(k), TagFromName.ImagePositionPatient), frame.imagePositionPatient(), 1e-9);
            assertArrayEquals(masks.get(k), frame.mask());
        }
    }
}
