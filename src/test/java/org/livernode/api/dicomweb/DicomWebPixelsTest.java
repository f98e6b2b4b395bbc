package org.livernode.api.dicomweb;

import org.livernode.dicom.vocabulary.SopClasses;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.dicom.seg.SegmentationFrame;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.dicom.seg.SegmentationWriter;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.testing.NodeTestResources;
import org.livernode.testing.SiemensJ2k;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WADO-RS frames of a JPEG 2000 scanner CT (decoded and as stored) and of a 1-bit SEG, stored through STOW-RS. */
@QuarkusTest
@WithTestResource(NodeTestResources.class)
class DicomWebPixelsTest {
    static final String J2K_LOSSLESS = "1.2.840.10008.1.2.4.90";
    static final String OCTET = "multipart/related; type=\"application/octet-stream\"";

    @TestHTTPResource("/dicom-web")
    URL dicomWeb;
    @TempDir
    Path temp;

    @Test
    void jpeg2000FramesDecodeToTheValuesTheVolumeReaderSees() throws Exception {
        DicomWebClient client = new DicomWebClient(dicomWeb.toString());
        List<Path> originals = SiemensJ2k.originals().subList(0, 2);
        // As shipped the data sets' UIDs are empty: refused, nothing indexed.
        HttpResponse<byte[]> refused = client.stow("/studies", List.of(originals.get(0)));
        assertEquals(409, refused.statusCode());
        assertEquals(0xC000, JsonPath.from(new String(refused.body(), StandardCharsets.UTF_8))
                .getInt("00081198.Value[0].00081197.Value[0]"));
        String fileUid = originals.get(0).getFileName().toString().substring(3);
        given().queryParam("SOPInstanceUID", fileUid).get("/dicom-web/instances").then().body("$", hasSize(0));

        SiemensJ2k.Series fixed = SiemensJ2k.withUids(originals, temp);
        String study = fixed.studyUid();
        String series = fixed.seriesUid();
        assertEquals(200, client.stow("/studies/" + study, fixed.files()).statusCode());

        Path file = fixed.files().get(0);
        AttributeList header = new AttributeList();
        header.read(file.toFile(), TagFromName.PixelData);
        String sop = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.SOPInstanceUID);
        String instance = "/studies/" + study + "/series/" + series + "/instances/" + sop;
        given().get("/dicom-web" + instance + "/metadata").then().statusCode(200)
                .body("[0].7FE00010.vr", equalTo("OB"))
                .body("[0].00083002.Value[0]", equalTo(J2K_LOSSLESS));

        HttpResponse<byte[]> whole = client.get(instance, null);
        assertArrayEquals(Files.readAllBytes(file), DicomWebClient.parts(whole).get(0).body());

        // Decoded: the same Hounsfield units as CtSeriesReader once the file's rescale is applied.
        byte[] frame = DicomWebClient.parts(client.get(instance + "/frames/1", OCTET)).get(0).body();
        CtSeries volume = CtSeriesReader.read(List.of(file));
        float[] hu = volume.sliceHu(0);
        assertEquals(hu.length * 2, frame.length);
        short[] words = new short[hu.length];
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(words);
        int bitsStored = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.BitsStored, 16);
        boolean signed = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.PixelRepresentation, 0) == 1;
        double slope = Attribute.getSingleDoubleValueOrDefault(header, TagFromName.RescaleSlope, 1);
        double intercept = Attribute.getSingleDoubleValueOrDefault(header, TagFromName.RescaleIntercept, 0);
        int distinct = 0;
        for (int p = 0; p < hu.length; p++) {
            int v = words[p] & ((1 << bitsStored) - 1);
            if (signed && (v & (1 << (bitsStored - 1))) != 0) {
                v -= 1 << bitsStored;
            }
            assertEquals(hu[p], (float) (v * slope + intercept), "pixel " + p);
            distinct += p > 0 && words[p] != words[p - 1] ? 1 : 0;
        }
        assertTrue(distinct > 1000, "a real CT slice, not a constant image");

        // As stored: the JPEG 2000 code stream, labelled with its transfer syntax.
        for (String accept : List.of(OCTET + "; transfer-syntax=*", OCTET + "; transfer-syntax=" + J2K_LOSSLESS,
                "multipart/related; type=\"image/jp2\"")) {
            DicomWebClient.Part stored = DicomWebClient.parts(client.get(instance + "/frames/1", accept)).get(0);
            assertTrue(stored.headers().get("content-type").endsWith("transfer-syntax=" + J2K_LOSSLESS), accept);
            byte[] b = stored.body();
            assertTrue((b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0x4F, "J2K start of code stream for " + accept);
            assertTrue(b.length < frame.length, "compressed");
        }
        assertEquals(406, client.get(instance + "/frames/1", "multipart/related; type=\"image/jpeg\"").statusCode());
    }

    @Test
    void stowTakesASeriesLargerThanTheDefaultBodyLimit() throws Exception {
        SyntheticCtSeries big = SyntheticCtSeries.builder().setSliceCount(24).setRows(512).setColumns(512)
                .setPatientId("DW-BIG").write(temp.resolve("big"));
        long bytes = 0;
        for (Path f : big.files()) {
            bytes += Files.size(f);
        }
        assertTrue(bytes > 12L * 1024 * 1024, "more than 12 MiB, found " + bytes);
        HttpResponse<byte[]> r = new DicomWebClient(dicomWeb.toString()).stow("/studies", big.files());
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        given().get("/api/series/" + big.seriesInstanceUid()).then().body("instanceCount", equalTo(24));
    }

    @Test
    void segFramesArePackedBitsOfEachMask() throws Exception {
        DicomWebClient client = new DicomWebClient(dicomWeb.toString());
        // 10 x 10 = 100 bits a frame: frames 2 and 3 start inside a byte of the stored Pixel Data.
        SyntheticCtSeries ct = SyntheticCtSeries.builder().setSliceCount(3).setRows(10).setColumns(10)
                .setPatientId("DW-SEG").write(temp.resolve("ct"));
        assertEquals(200, client.stow("/studies", ct.files()).statusCode());
        CtSeries volume = CtSeriesReader.read(ct.files());
        Random random = new Random(11);
        List<byte[]> masks = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            byte[] m = new byte[100];
            for (int p = 0; p < m.length; p++) {
                m[p] = (byte) (random.nextInt(3) == 0 ? 1 : 0);
            }
            masks.add(m);
        }
        SegmentationWriter writer = SegmentationWriter.builder().setSourceImages(volume.headers()).setMasks(masks)
                .setAlgorithm("test", "1").setSeriesNumber(99).setSeriesDescription("Liver (test)")
                .optOmitEmptyFrames(false).build();
        Path seg = temp.resolve("seg.dcm");
        writer.write(seg);
        assertEquals(200, client.stow("/studies/" + ct.studyInstanceUid(), List.of(seg)).statusCode());

        given().queryParam("PatientID", "DW-SEG").get("/dicom-web/studies").then()
                .body("[0].00080061.Value", equalTo(List.of("CT", "SEG")))
                .body("[0].00201208.Value[0]", equalTo(4));
        String instance = "/studies/" + ct.studyInstanceUid() + "/series/" + writer.seriesInstanceUid()
                + "/instances/" + writer.sopInstanceUid();
        given().get("/dicom-web" + instance.substring(0, instance.indexOf("/instances/")) + "/instances").then()
                .body("[0].00280008.Value[0]", equalTo(3)).body("[0].00280100.Value[0]", equalTo(1))
                .body("[0].00080016.Value[0]", equalTo(SopClasses.SEGMENTATION_STORAGE));

        DecodedSegmentation decoded = SegmentationReader.read(seg);
        List<DicomWebClient.Part> frames = DicomWebClient.parts(client.get(instance + "/frames/1,2,3", OCTET));
        assertEquals(3, frames.size());
        byte[] all = DicomWebClient.parts(client.get(instance + "/bulkdata/7FE00010", OCTET)).get(0).body();
        assertEquals((300 + 7) / 8, all.length);
        for (SegmentationFrame f : decoded.frames()) {
            byte[] expected = masks.get(volume.sopInstanceUids().indexOf(f.referencedSopInstanceUid()));
            byte[] bits = frames.get(f.frameNumber() - 1).body();
            assertEquals(13, bits.length);
            for (int p = 0; p < 100; p++) {
                assertEquals(expected[p], (bits[p / 8] >> (p % 8)) & 1, "frame " + f.frameNumber() + " pixel " + p);
                int q = (f.frameNumber() - 1) * 100 + p;
                assertEquals(expected[p], (all[q / 8] >> (q % 8)) & 1, "bulk data bit " + q);
            }
        }
        HttpResponse<byte[]> file = client.get(instance, "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertArrayEquals(Files.readAllBytes(seg), DicomWebClient.parts(file).get(0).body());
    }
}
