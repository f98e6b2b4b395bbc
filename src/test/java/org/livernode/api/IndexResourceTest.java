package org.livernode.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.pixelmed.dicom.AttributeList;
import org.livernode.dicom.DicomNode;
import org.livernode.dicom.sr.MeasurementReportWriter;
import org.livernode.dicom.vocabulary.Uids;
import org.livernode.testing.Dcmtk;
import org.livernode.testing.NodeTestResources;
import org.livernode.testing.TestCtSeries;

import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The REST API, its RFC 7807 problems, health and metrics, as an operator sees them. */
@QuarkusTest
@WithTestResource(NodeTestResources.class)
class IndexResourceTest {
    @Inject
    DicomNode node;

    @TempDir
    Path temp;

    @BeforeEach
    void startNode() {
        node.start();
    }

    @Test
    void unknownUidsAreProblemsNamingTheUid() {
        given().get("/api/studies/1.2.3.999").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Study not found"))
                .body("detail", containsString("1.2.3.999"))
                .body("instance", equalTo("/api/studies/1.2.3.999"));
        given().get("/api/series/1.2.3.998").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("1.2.3.998"));
    }

    @Test
    void badJobStateIsAProblem() {
        given().queryParam("state", "SLEEPING").get("/api/jobs").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("QUEUED, RUNNING, DONE, FAILED, SKIPPED"))
                .body("detail", containsString("SLEEPING"));
    }

    @Test
    void unknownPathIsAProblem() {
        given().get("/api/nothing-here").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void studiesListAndStudyShowWhatWasReceived() throws Exception {
        TestCtSeries ct = TestCtSeries.write(temp, 3, 32);
        assertEquals(3, Dcmtk.storescu(node.aeTitle(), node.port(), List.of(), ct.files).count("(Success)"));
        given().get("/api/studies").then().statusCode(200).body("studyUid", hasItem(ct.studyUid));
        given().get("/api/studies/" + ct.studyUid).then().statusCode(200)
                .body("study.patientId", equalTo("TEST-1"))
                .body("study.instanceCount", equalTo(3))
                .body("series[0].seriesUid", equalTo(ct.seriesUid))
                .body("series[0].modality", equalTo("CT"))
                .body("series[0].instanceCount", equalTo(3));
        given().get("/api/series/" + ct.seriesUid).then().statusCode(200)
                .body("instances[0].instanceNumber", equalTo(1))
                .body("instances[0].imagePosition", equalTo("-160\\-160\\0.0"))
                .body("instances[0].path", containsString("studies/" + ct.studyUid + "/" + ct.seriesUid + "/"));
    }

    @Test
    void studiesListCarriesEachSeriesWithItsLatestJob() throws Exception {
        TestCtSeries ct = TestCtSeries.write(temp, 3, 32);
        assertEquals(3, Dcmtk.storescu(node.aeTitle(), node.port(), List.of(), ct.files).count("(Success)"));
        // Once quiet the series gets a job (the worker may or may not have taken it yet).
        long deadline = System.currentTimeMillis() + 60_000;
        JsonPath series = given().get("/api/series/" + ct.seriesUid).then().extract().jsonPath();
        while (series.getString("jobState") == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            series = given().get("/api/series/" + ct.seriesUid).then().extract().jsonPath();
        }
        long jobId = series.getLong("job.id");
        String study = "find { it.studyUid == '" + ct.studyUid + "' }";
        given().get("/api/studies").then().statusCode(200)
                .body(study + ".seriesCount", equalTo(1))
                .body(study + ".instanceCount", equalTo(3))
                .body(study + ".series[0].seriesUid", equalTo(ct.seriesUid))
                .body(study + ".series[0].instanceCount", equalTo(3))
                .body(study + ".series[0].job.id", equalTo((int) jobId))
                .body(study + ".series[0].job.seriesUid", equalTo(ct.seriesUid))
                .body(study + ".series[0].jobState", notNullValue());
        given().get("/api/studies/" + ct.studyUid).then().statusCode(200)
                .body("study.series", equalTo(null))
                .body("series[0].job.id", equalTo((int) jobId))
                .body("series[0].jobState", notNullValue());
    }

    /**
     * Issue 15 point 5: a TID 1500 SR of another node, stored here by C-STORE, gives the study list its liver
     * volume for the CT series it measured (said to be from the SR); before it the series (SKIPPED: too short) has none.
     */
    @Test
    void theStudyListShowsTheLiverVolumeOfAnSrOfTheSeries() throws Exception {
        TestCtSeries ct = TestCtSeries.write(temp, 3, 32);
        assertEquals(3, Dcmtk.storescu(node.aeTitle(), node.port(), List.of(), ct.files).count("(Success)"));
        String ctSeries = "series.find { it.seriesUid == '" + ct.seriesUid + "' }";
        given().get("/api/studies/" + ct.studyUid).then().statusCode(200).body(ctSeries + ".liverVolume", equalTo(null));

        List<AttributeList> headers = new java.util.ArrayList<>();
        for (Path f : ct.files) {
            AttributeList h = new AttributeList();
            h.read(f.toFile());
            headers.add(h);
        }
        MeasurementReportWriter report = MeasurementReportWriter.builder().setSourceImages(headers)
                .setSegmentation(Uids.newUid(), Uids.newUid(), 1).setVolumeMl(1234.56).setHuStatistics(98.7, 12.3)
                .setAlgorithm("another-liver-model", "7").setDeviceObserverName("OTHERNODE").build();
        Path sr = temp.resolve("other-node-sr.dcm");
        report.write(sr);
        assertEquals(1, Dcmtk.storescu(node.aeTitle(), node.port(), List.of(), List.of(sr)).count("(Success)"));

        given().get("/api/studies/" + ct.studyUid).then().statusCode(200)
                .body(ctSeries + ".liverVolume.ml", equalTo(1234.6f))
                .body(ctSeries + ".liverVolume.from", equalTo("SR"))
                .body(ctSeries + ".liverVolume.srSopInstanceUid", equalTo(report.sopInstanceUid()));
        String inList = "find { it.studyUid == '" + ct.studyUid + "' }.series.find { it.seriesUid == '" + ct.seriesUid + "' }";
        given().get("/api/studies").then().statusCode(200)
                .body(inList + ".liverVolume.ml", equalTo(1234.6f))
                .body(inList + ".liverVolume.from", equalTo("SR"));
    }

    @Test
    void healthSaysReadyWhenTheNodeListensAndTheDatabaseAnswers() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'livernode' }.data.database", equalTo("up"))
                .body("checks.find { it.name == 'livernode' }.data.dicom", containsString("listening on port " + node.port()));
    }

    @Test
    void metricsCountInstancesAndAssociations() throws Exception {
        TestCtSeries ct = TestCtSeries.write(temp, 2, 32);
        Dcmtk.storescu(node.aeTitle(), node.port(), List.of(), ct.files);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double received = metricValue(metrics, "livernode_instances_received_total");
        org.hamcrest.MatcherAssert.assertThat(received, greaterThanOrEqualTo(2.0));
        org.hamcrest.MatcherAssert.assertThat(metricValue(metrics, "livernode_instances_received_bytes_total"),
                greaterThanOrEqualTo(2.0 * 32 * 32 * 2));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("livernode_associations_total{outcome=\"accepted\"}"));
    }

    private static double metricValue(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
