package org.livernode.api.dicomweb;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.testing.NodeTestResources;

import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * QIDO-RS matching, limit and offset, which the database answers when it holds every key and Java does when a
 * key needs the stored header or a count: every page must be the same slice of the unpaged answer, and the
 * counts must be those of each study and series, not of the whole index.
 */
@QuarkusTest
@WithTestResource(NodeTestResources.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QidoPagingTest {
    @TestHTTPResource("/dicom-web")
    URL dicomWeb;

    /** QP-1 .. QP-5, with 1 .. 5 slices; QP-5 has a second series of 2 slices. */
    final List<SyntheticCtSeries> studies = new ArrayList<>();
    SyntheticCtSeries second;

    @BeforeAll
    void storeStudies() throws Exception {
        Path dir = Files.createTempDirectory("qido-paging-");
        DicomWebClient client = new DicomWebClient(dicomWeb.toString());
        for (int k = 1; k <= 5; k++) {
            SyntheticCtSeries ct = SyntheticCtSeries.builder().setSliceCount(k).setRows(16).setColumns(16)
                    .setPatientId("QP-" + k).setPatientName("Paging^Patient" + k).setSeriesDescription("First")
                    .setSeed(k).write(dir.resolve("s" + k));
            stow(client, ct);
            studies.add(ct);
        }
        second = SyntheticCtSeries.builder().setSliceCount(2).setRows(16).setColumns(16).setPatientId("QP-5")
                .setPatientName("Paging^Patient5").optStudyInstanceUid(studies.get(4).studyInstanceUid())
                .setSeriesNumber(2).setSeriesDescription("Second").setSeed(9).write(dir.resolve("second"));
        stow(client, second);
    }

    private static void stow(DicomWebClient client, SyntheticCtSeries ct) throws Exception {
        HttpResponse<byte[]> r = client.stow("/studies", ct.files());
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void studyPagesAreSlicesOfTheWholeAnswerWithEachStudysOwnCounts() {
        JsonPath all = qido("/studies", Map.of("PatientID", "QP-*"));
        List<String> uids = all.getList("0020000D.Value.collect { it[0] }");
        assertEquals(5, uids.size());
        for (int k = 0; k < 5; k++) {
            String patient = all.getString("[" + k + "].00100020.Value[0]");
            int n = Integer.parseInt(patient.substring(3));
            assertEquals(n == 5 ? 7 : n, all.getInt("[" + k + "].00201208.Value[0]"), patient + " instances");
            assertEquals(n == 5 ? 2 : 1, all.getInt("[" + k + "].00201206.Value[0]"), patient + " series");
        }
        // In the database: every key is an index column.
        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 6; offset += 2) {
            paged.addAll(qido("/studies", Map.of("PatientID", "QP-*", "limit", "2", "offset", "" + offset))
                    .getList("0020000D.Value.collect { it[0] }"));
        }
        assertEquals(uids, paged);
        assertEquals(uids.subList(4, 5), qido("/studies", Map.of("PatientID", "QP-*", "limit", "3", "offset", "4"))
                .getList("0020000D.Value.collect { it[0] }"));
        assertEquals(0, qido("/studies", Map.of("PatientID", "QP-*", "offset", "5")).getList("$").size());
        assertEquals(0, qido("/studies", Map.of("PatientID", "QP-*", "limit", "0")).getList("$").size());

        // In Java: a count (and a header attribute, universal here) cannot be matched by the database.
        List<String> single = uids.stream().filter(u -> !u.equals(studies.get(4).studyInstanceUid())).toList();
        assertEquals(single.subList(1, 3), qido("/studies", Map.of("PatientID", "QP-*", "NumberOfStudyRelatedSeries", "1",
                "PatientSex", "", "limit", "2", "offset", "1")).getList("0020000D.Value.collect { it[0] }"));
        assertEquals(List.of(studies.get(4).studyInstanceUid()), qido("/studies",
                Map.of("PatientID", "QP-*", "NumberOfStudyRelatedSeries", "2")).getList("0020000D.Value.collect { it[0] }"));
    }

    @Test
    void databaseMatchingIsQidoMatching() {
        // '_' and '%' are SQL wildcards, not QIDO ones.
        assertEquals(0, qido("/studies", Map.of("PatientID", "QP_1")).getList("$").size());
        assertEquals(0, qido("/studies", Map.of("PatientID", "QP%")).getList("$").size());
        assertEquals(1, qido("/studies", Map.of("PatientID", "QP-1")).getList("$").size());
        assertEquals(5, qido("/studies", Map.of("PatientID", "QP-?")).getList("$").size());
        // Person Names match case-insensitively, other values exactly.
        assertEquals(List.of("QP-3"), qido("/studies", Map.of("PatientName", "paging^patient3"))
                .getList("00100020.Value.collect { it[0] }"));
        assertEquals(5, qido("/studies", Map.of("PatientName", "*PATIENT?", "PatientID", "QP-*")).getList("$").size());
        assertEquals(0, qido("/studies", Map.of("PatientID", "qp-1")).getList("$").size());
        String one = studies.get(0).studyInstanceUid();
        String three = studies.get(2).studyInstanceUid();
        assertEquals(2, qido("/studies", Map.of("StudyInstanceUID", one + "," + three)).getList("$").size());
        assertEquals(2, qido("/studies", Map.of("StudyInstanceUID", one + "\\" + three)).getList("$").size());
        assertEquals(5, qido("/studies", Map.of("ModalitiesInStudy", "MR\\CT", "PatientID", "QP-*")).getList("$").size());
        assertEquals(0, qido("/studies", Map.of("ModalitiesInStudy", "MR", "PatientID", "QP-*")).getList("$").size());
        assertEquals(5, qido("/studies", Map.of("StudyDate", "19000101-", "PatientID", "QP-*")).getList("$").size());
        assertEquals(0, qido("/studies", Map.of("StudyDate", "-19000101", "PatientID", "QP-*")).getList("$").size());
    }

    @Test
    void seriesAndInstancePagesWithStudyKeysAndCounts() {
        JsonPath series = qido("/series", Map.of("PatientID", "QP-*"));
        List<String> seriesUids = series.getList("0020000E.Value.collect { it[0] }");
        assertEquals(6, seriesUids.size());
        assertEquals(seriesUids.subList(2, 5), qido("/series", Map.of("PatientID", "QP-*", "limit", "3", "offset", "2"))
                .getList("0020000E.Value.collect { it[0] }"));
        JsonPath secondOnly = qido("/series", Map.of("PatientID", "QP-*", "SeriesDescription", "Sec*"));
        assertEquals(List.of(second.seriesInstanceUid()), secondOnly.getList("0020000E.Value.collect { it[0] }"));
        assertEquals(2, secondOnly.getInt("[0].00201209.Value[0]"));
        assertEquals("QP-5", secondOnly.getString("[0].00100020.Value[0]"));
        assertEquals(7, qido("/series", Map.of("SeriesInstanceUID", second.seriesInstanceUid(),
                "includefield", "NumberOfStudyRelatedInstances")).getInt("[0].00201208.Value[0]"));

        String study5 = studies.get(4).studyInstanceUid();
        JsonPath instances = qido("/instances", Map.of("PatientID", "QP-5"));
        List<String> sops = instances.getList("00080018.Value.collect { it[0] }");
        assertEquals(7, sops.size());
        assertEquals(sops.subList(4, 7), qido("/instances", Map.of("PatientID", "QP-5", "limit", "3", "offset", "4"))
                .getList("00080018.Value.collect { it[0] }"));
        assertEquals(sops.subList(6, 7), qido("/studies/" + study5 + "/instances", Map.of("offset", "6"))
                .getList("00080018.Value.collect { it[0] }"));
        JsonPath ofSecond = qido("/studies/" + study5 + "/series/" + second.seriesInstanceUid() + "/instances",
                Map.of("limit", "1", "includefield", "NumberOfSeriesRelatedInstances"));
        assertEquals(List.of(qido("/instances", Map.of("SeriesInstanceUID", second.seriesInstanceUid()))
                .getString("[0].00080018.Value[0]")), ofSecond.getList("00080018.Value.collect { it[0] }"));
        assertEquals(2, ofSecond.getInt("[0].00201209.Value[0]"));
        assertEquals(0, qido("/studies/" + studies.get(0).studyInstanceUid() + "/series/"
                + second.seriesInstanceUid() + "/instances", Map.of()).getList("$").size());
        assertEquals(List.of(second.sopInstanceUid(1)), qido("/instances", Map.of("PatientID", "QP-*",
                "SOPInstanceUID", "1.2.3\\" + second.sopInstanceUid(1))).getList("00080018.Value.collect { it[0] }"));
    }

    private static JsonPath qido(String path, Map<String, String> parameters) {
        RequestSpecification r = given();
        parameters.forEach(r::queryParam);
        return r.get("/dicom-web" + path).then().statusCode(200).extract().jsonPath();
    }
}
