package org.livernode.api.dicomweb;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.testing.NodeTestResources;

import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * QIDO-RS, WADO-RS and STOW-RS on a small synthetic CT series stored through STOW-RS, as a DICOMweb client
 * (OHIF, dicomweb-client) sees them.
 */
@QuarkusTest
@WithTestResource(NodeTestResources.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DicomWebTest {
    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String DICOM_JSON = "application/dicom+json";

    @TestHTTPResource("/dicom-web")
    URL dicomWeb;

    Path dir;
    SyntheticCtSeries ct;
    DicomWebClient client;
    String studyDate;

    @BeforeAll
    void storeSeries() throws Exception {
        dir = Files.createTempDirectory("dicomweb-test-");
        ct = SyntheticCtSeries.builder().setSliceCount(3).setRows(32).setColumns(32).setPatientId("DW-1")
                .setPatientName("Web^Phantom").setSeed(7).write(dir.resolve("ct"));
        client = new DicomWebClient(dicomWeb.toString());
        HttpResponse<byte[]> r = client.stow("/studies", ct.files());
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        JsonPath json = JsonPath.from(new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(3, json.getList("00081199.Value").size());
        assertTrue(json.getString("00081190.Value[0]").endsWith("/dicom-web/studies/" + ct.studyInstanceUid()));
        AttributeList header = new AttributeList();
        header.read(ct.file(0).toFile(), TagFromName.PixelData);
        studyDate = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.StudyDate);
    }

    @Test
    void storedSeriesIsIndexedLikeACStore() {
        given().get("/api/series/" + ct.seriesInstanceUid()).then().statusCode(200)
                .body("instanceCount", equalTo(3)).body("modality", equalTo("CT"))
                .body("instances[0].callingAeTitle", equalTo("STOW-RS"));
    }

    @Test
    void qidoStudiesMatchOnPatientNameDateAndModality() {
        given().queryParam("PatientID", "DW-1").get("/dicom-web/studies").then().statusCode(200)
                .contentType(DICOM_JSON).body("$", hasSize(1))
                .body("[0].0020000D.Value[0]", equalTo(ct.studyInstanceUid()))
                .body("[0].00100010.vr", equalTo("PN"))
                .body("[0].00100010.Value[0].Alphabetic", equalTo("Web^Phantom"))
                .body("[0].00201206.Value[0]", equalTo(1))
                .body("[0].00201208.Value[0]", equalTo(3))
                .body("[0].00080061.Value", equalTo(List.of("CT")))
                .body("[0].00080056.Value[0]", equalTo("ONLINE"))
                .body("[0].00081190.Value[0]", endsWith("/dicom-web/studies/" + ct.studyInstanceUid()));
        given().queryParam("PatientName", "web*").get("/dicom-web/studies").then().statusCode(200)
                .body("0020000D.Value[0]", hasItem(ct.studyInstanceUid()));
        given().queryParam("PatientName", "Nobody*").queryParam("PatientID", "DW-1").get("/dicom-web/studies")
                .then().statusCode(200).body("$", hasSize(0));
        given().queryParam("StudyDate", "19000101-").queryParam("PatientID", "DW-1").get("/dicom-web/studies")
                .then().body("$", hasSize(1));
        given().queryParam("StudyDate", studyDate).queryParam("PatientID", "DW-1").get("/dicom-web/studies")
                .then().body("$", hasSize(1));
        given().queryParam("StudyDate", "-19000101").queryParam("PatientID", "DW-1").get("/dicom-web/studies")
                .then().body("$", hasSize(0));
        given().queryParam("ModalitiesInStudy", "SEG\\CT").queryParam("PatientID", "DW-1").get("/dicom-web/studies")
                .then().body("$", hasSize(1));
        given().queryParam("ModalitiesInStudy", "MR").queryParam("PatientID", "DW-1").get("/dicom-web/studies")
                .then().body("$", hasSize(0));
        // A key the index does not hold is matched on the stored header.
        given().queryParam("PatientSex", "X").queryParam("PatientID", "DW-1").get("/dicom-web/studies")
                .then().body("$", hasSize(0));
        given().accept("application/json").queryParam("PatientID", "DW-1").get("/dicom-web/studies").then()
                .statusCode(200).body("$", hasSize(1));
        given().queryParam("NoSuchKeyword", "1").get("/dicom-web/studies").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("NoSuchKeyword"));
    }

    @Test
    void qidoSeriesAndInstancesWithLimitOffsetAndIncludefield() {
        String series = "/dicom-web/studies/" + ct.studyInstanceUid() + "/series";
        given().queryParam("Modality", "CT").get(series).then().statusCode(200).body("$", hasSize(1))
                .body("[0].0020000E.Value[0]", equalTo(ct.seriesInstanceUid()))
                .body("[0].00201209.Value[0]", equalTo(3))
                .body("[0].00180050", equalTo(null));
        given().queryParam("includefield", "SliceThickness").get(series).then()
                .body("[0].00180050.vr", equalTo("DS"));
        given().queryParam("includefield", "all").get(series).then()
                .body("[0].00280030.vr", equalTo("DS")).body("[0].00280030.Value", hasSize(2));
        given().queryParam("SeriesInstanceUID", ct.seriesInstanceUid()).get("/dicom-web/series").then()
                .body("$", hasSize(1)).body("[0].0020000D.Value[0]", equalTo(ct.studyInstanceUid()));

        String instances = series + "/" + ct.seriesInstanceUid() + "/instances";
        given().get(instances).then().statusCode(200).body("$", hasSize(3))
                .body("[0].00080016.Value[0]", equalTo(CT))
                .body("[0].00280010.vr", equalTo("US")).body("[0].00280010.Value[0]", equalTo(32))
                .body("[0].00280011.Value[0]", equalTo(32))
                .body("[0].00200013.vr", equalTo("IS"))
                .body("[0].00083002.Value[0]", equalTo("1.2.840.10008.1.2.1"));
        given().queryParam("limit", 2).get(instances).then().body("$", hasSize(2));
        List<Integer> all = given().get(instances).then().extract().jsonPath().getList("00200013.Value.collect { it[0] }", Integer.class);
        given().queryParam("offset", 2).get(instances).then().body("$", hasSize(1))
                .body("[0].00200013.Value[0]", equalTo(all.get(2)));
        given().queryParam("SOPInstanceUID", ct.sopInstanceUid(1)).get(instances).then().body("$", hasSize(1))
                .body("[0].00080018.Value[0]", equalTo(ct.sopInstanceUid(1)));
        given().queryParam("limit", "-1").get(instances).then().statusCode(400);
        given().get("/dicom-web/studies/1.2.3.4/series").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void metadataIsTheDicomJsonModelWithPixelDataAsBulkData() {
        String instance = "/dicom-web/studies/" + ct.studyInstanceUid() + "/series/" + ct.seriesInstanceUid()
                + "/instances/" + ct.sopInstanceUid(0);
        given().accept(DICOM_JSON).get(instance + "/metadata").then().statusCode(200).contentType(DICOM_JSON)
                .body("$", hasSize(1))
                .body("[0].00100010.Value[0].Alphabetic", equalTo("Web^Phantom"))
                .body("[0].00080018.vr", equalTo("UI"))
                .body("[0].00280010.vr", equalTo("US")).body("[0].00280010.Value[0]", equalTo(32))
                .body("[0].00200032.vr", equalTo("DS")).body("[0].00200032.Value", hasSize(3))
                .body("[0].00281052.Value[0]", equalTo(-1024))
                .body("[0].00020010", equalTo(null))
                .body("[0].7FE00010.vr", equalTo("OW"))
                .body("[0].7FE00010.BulkDataURI", endsWith(instance + "/bulkdata/7FE00010"));
        given().get("/dicom-web/studies/" + ct.studyInstanceUid() + "/series/" + ct.seriesInstanceUid() + "/metadata")
                .then().statusCode(200).body("$", hasSize(3));
        given().get("/dicom-web/studies/" + ct.studyInstanceUid() + "/metadata").then().statusCode(200).body("$", hasSize(3));
        given().accept("application/xml").get(instance + "/metadata").then().statusCode(406)
                .contentType("application/problem+json");
        given().get("/dicom-web/studies/1.2.3.4/metadata").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void instanceIsTheStoredFileAndFramesAreItsPixels() throws Exception {
        String instance = "/studies/" + ct.studyInstanceUid() + "/series/" + ct.seriesInstanceUid()
                + "/instances/" + ct.sopInstanceUid(2);
        HttpResponse<byte[]> r = client.get(instance, "multipart/related; type=\"application/dicom\"");
        assertEquals(200, r.statusCode());
        List<DicomWebClient.Part> parts = DicomWebClient.parts(r);
        assertEquals(1, parts.size());
        assertEquals("application/dicom", parts.get(0).headers().get("content-type"));
        assertArrayEquals(Files.readAllBytes(ct.file(2)), parts.get(0).body(), "exactly the stored bytes");

        HttpResponse<byte[]> series = client.get("/studies/" + ct.studyInstanceUid() + "/series/" + ct.seriesInstanceUid(), null);
        assertEquals(3, DicomWebClient.parts(series).size());

        byte[] expected = storedPixelBytes(ct.file(2));
        HttpResponse<byte[]> frame = client.get(instance + "/frames/1", "multipart/related; type=\"application/octet-stream\"");
        assertEquals(200, frame.statusCode());
        DicomWebClient.Part f = DicomWebClient.parts(frame).get(0);
        assertTrue(f.headers().get("content-type").contains("transfer-syntax=1.2.840.10008.1.2.1"));
        assertArrayEquals(expected, f.body());
        assertArrayEquals(expected, DicomWebClient.parts(client.get(instance + "/frames/1",
                "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*")).get(0).body());
        assertArrayEquals(expected, DicomWebClient.parts(client.get(instance + "/bulkdata/7FE00010", null)).get(0).body());

        // dicomweb-client's "singlepart" option: one body, no multipart framing.
        HttpResponse<byte[]> single = client.get(instance + "/frames/1", "application/octet-stream");
        assertEquals(200, single.statusCode());
        assertTrue(single.headers().firstValue("Content-Type").orElse("").startsWith("application/octet-stream"));
        assertArrayEquals(expected, single.body());
        HttpResponse<byte[]> file = client.get(instance, "application/dicom");
        assertEquals("application/dicom", file.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(Files.readAllBytes(ct.file(2)), file.body());

        assertEquals(406, client.get(instance + "/frames/1", "image/png").statusCode());
        assertEquals(406, client.get(instance + "/frames/1",
                "multipart/related; type=\"application/octet-stream\"; transfer-syntax=1.2.840.10008.1.2.4.90").statusCode());
        assertEquals(406, client.get(instance, "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50").statusCode());
        HttpResponse<byte[]> missing = client.get(instance + "/frames/2", null);
        assertEquals(404, missing.statusCode());
        assertTrue(new String(missing.body(), StandardCharsets.UTF_8).contains("has 1 frame"));
    }

    @Test
    void stowRefusesWhatCStoreRefusesAndAnswersPerInstance() throws Exception {
        Path other = dir.resolve("other");
        SyntheticCtSeries second = SyntheticCtSeries.builder().setSliceCount(2).setRows(16).setColumns(16)
                .setPatientId("DW-2").write(other);
        Path noUids = dir.resolve("no-uids.dcm");
        blankSopInstanceUid(second.file(1), noUids);

        HttpResponse<byte[]> partly = client.stow("/studies", List.of(second.file(0), noUids));
        assertEquals(202, partly.statusCode());
        JsonPath json = JsonPath.from(new String(partly.body(), StandardCharsets.UTF_8));
        assertEquals(List.of(second.sopInstanceUid(0)), json.getList("00081199.Value.00081155.Value[0]"));
        assertEquals(0xC000, json.getInt("00081198.Value[0].00081197.Value[0]"));
        assertEquals("US", json.getString("00081198.Value[0].00081197.vr"));
        assertTrue(partly.headers().firstValue("Warning").orElse("").contains("SOP Instance UID"));

        HttpResponse<byte[]> none = client.stow("/studies", List.of(noUids));
        assertEquals(409, none.statusCode());
        given().queryParam("SOPInstanceUID", second.sopInstanceUid(1)).get("/dicom-web/instances").then().body("$", hasSize(0));
        given().get("/api/series/" + second.seriesInstanceUid()).then().body("instanceCount", equalTo(1));

        HttpResponse<byte[]> wrongStudy = client.stow("/studies/" + ct.studyInstanceUid(), List.of(second.file(1)));
        assertEquals(409, wrongStudy.statusCode());
        assertEquals(0xA900, JsonPath.from(new String(wrongStudy.body(), StandardCharsets.UTF_8))
                .getInt("00081198.Value[0].00081197.Value[0]"));

        // Not Part 10 at all, and Part 10 cut short after its File Meta Information: both C000.
        Path notDicom = dir.resolve("not-dicom.dcm");
        Files.writeString(notDicom, "this is not a DICOM file, only some text ".repeat(20));
        Path cut = dir.resolve("cut.dcm");
        byte[] whole = Files.readAllBytes(second.file(1));
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        for (Path bad : List.of(notDicom, cut)) {
            HttpResponse<byte[]> refused = client.stow("/studies", List.of(bad));
            assertEquals(409, refused.statusCode(), bad.toString());
            assertEquals(0xC000, JsonPath.from(new String(refused.body(), StandardCharsets.UTF_8))
                    .getInt("00081198.Value[0].00081197.Value[0]"), bad.toString());
        }
        given().get("/api/series/" + second.seriesInstanceUid()).then().body("instanceCount", equalTo(1));

        HttpResponse<byte[]> json415 = client.post("/studies", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, json415.statusCode());
        assertTrue(json415.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals(415, client.post("/studies", "multipart/related; type=\"application/dicom+json\"; boundary=x",
                new byte[0]).statusCode());
    }

    @Test
    void pydicomReadsOurDicomJson() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python)
                && org.livernode.testing.Dcmtk.run(python.toString(), "-c", "import pydicom").exitCode() == 0,
                "python3-pydicom is not installed (.ci/install-deps installs it)");
        String instance = "/dicom-web/studies/" + ct.studyInstanceUid() + "/series/" + ct.seriesInstanceUid()
                + "/instances/" + ct.sopInstanceUid(0);
        Path metadata = dir.resolve("metadata.json");
        Files.writeString(metadata, given().get(instance + "/metadata").then().statusCode(200).extract().asString());
        Path studies = dir.resolve("studies.json");
        Files.writeString(studies, given().queryParam("PatientID", "DW-1").get("/dicom-web/studies").then()
                .statusCode(200).extract().asString());
        String script = String.join("\n",
                "import json, sys, pydicom",
                "uris = []",
                "handler = lambda tag, vr, uri: (uris.append(uri), b'')[1]",
                "m = pydicom.Dataset.from_json(json.load(open(sys.argv[1]))[0], bulk_data_uri_handler=handler)",
                "s = pydicom.Dataset.from_json(json.load(open(sys.argv[2]))[0])",
                "print(m.PatientName, m.Rows, m.Columns, float(m.ImagePositionPatient[2]), float(m.RescaleIntercept),"
                        + " m.SOPInstanceUID, uris[0].endswith('/bulkdata/7FE00010'))",
                "print(s.StudyInstanceUID, int(s.NumberOfStudyRelatedInstances), s.ModalitiesInStudy, s.PatientName)");
        org.livernode.testing.Dcmtk.Result r = org.livernode.testing.Dcmtk.run(python.toString(), "-c", script,
                metadata.toString(), studies.toString());
        assertEquals(0, r.exitCode(), r.output());
        AttributeList header = new AttributeList();
        header.read(ct.file(0).toFile(), TagFromName.PixelData);
        double z = Attribute.getDoubleValues(header, TagFromName.ImagePositionPatient)[2];
        List<String> lines = r.output().lines().toList();
        assertEquals("Web^Phantom 32 32 " + z + " -1024.0 " + ct.sopInstanceUid(0) + " True", lines.get(0));
        assertEquals(ct.studyInstanceUid() + " 3 CT Web^Phantom", lines.get(1));
    }

    /** Pixel Data of an uncompressed file as little-endian bytes, read independently with PixelMed. */
    static byte[] storedPixelBytes(Path file) throws Exception {
        AttributeList l = new AttributeList();
        l.read(file.toFile());
        short[] v = l.get(TagFromName.PixelData).getShortValues();
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(v);
        return b.array();
    }

    /** A copy of the file whose data set's SOP Instance UID is empty (its File Meta Information keeps one). */
    static void blankSopInstanceUid(Path from, Path to) throws Exception {
        Files.copy(from, to);
        org.livernode.testing.Dcmtk.Result r = org.livernode.testing.Dcmtk.run("dcmodify", "-nb", "-nmu",
                "-m", "(0008,0018)=", to.toString());
        assertEquals(0, r.exitCode(), r.output());
    }
}
