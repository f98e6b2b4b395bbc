package org.livernode.pipeline;

import org.livernode.segmentation.LiverModel;
import org.livernode.config.LivernodeConfig;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.DcmtkStoreScp;
import org.livernode.dicom.DicomNode;
import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.store.InstanceStore;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.store.JobState;
import org.livernode.testing.AdjustableClock;
import org.livernode.testing.Dcmtk;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4 end to end with real peers: dcmtk storescu sends a CT series to the node, the worker segments it with the
 * bundled model, and the SEG arrives at a dcmtk storescp known as the sender's AE; what the PACS gets is checked
 * against a direct run of the same pipeline, and the job as the REST API shows it.
 */
@QuarkusTest
@WithTestResource(PipelineTestResources.class)
class EndToEndTest {

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

    @Inject
    DicomNode node;
    @Inject
    SegmentationWorker worker;
    @Inject
    LivernodeConfig config;
    @Inject
    LiverModel model;
    @Inject
    JobQueue queue;
    @Inject
    InstanceStore store;
    @Inject
    AdjustableClock clock;
    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    @TempDir
    Path temp;

    @BeforeEach
    void startNodeAndWorker() {
        node.start();
        worker.start("e2e-test:" + node.port());
    }

    @Test
    void segOfACompleteSeriesArrivesAtTheSenderValidAndEqualToThePipelinesOwn() throws Exception {
        SyntheticCtSeries ct = phantom(24).write(temp.resolve("ct"));
        try (DcmtkStoreScp pacs = knownScp(PipelineTestResources.DELIVERED_AE).start()) {
            send(PipelineTestResources.DELIVERED_AE, ct.files());
            Job job = awaitFinished(ct.seriesInstanceUid());
            assertEquals("DONE", job.getState().name(), "job reason: " + job.reason);

            List<Path> received = files(pacs.directory);
            assertEquals(1, received.size(), "the PACS holds exactly one SEG: " + received);
            Path seg = received.get(0);
            EndToEnd.assertDciodvfyClean(seg);

            DecodedSegmentation delivered = SegmentationReader.read(seg);
            assertEquals(24, delivered.frames().size(), "one frame per source slice");
            Map<String, byte[]> masks = delivered.masksByReferencedSopInstanceUid(1);
            CtSeries volume = CtSeriesReader.read(ct.files());
            assertEquals(24, volume.sliceCount());
            assertEquals(new HashSet<>(volume.sopInstanceUids()), masks.keySet(), "every source SOP Instance is referenced");
            assertEquals(ct.studyInstanceUid(), delivered.studyInstanceUid());

            // The same series through the same pipeline and model, outside the node: the same voxels, slice by slice.
            SegmentationPipeline.Outcome direct = new SegmentationPipeline(config, version)
                    .run(volume, model.predictor(), temp.resolve("direct.dcm"), done -> { });
            for (int k = 0; k < volume.sliceCount(); k++) {
                String uid = volume.sopInstanceUids().get(k);
                assertArrayEquals(direct.masks()[k], masks.get(uid), "slice " + k + " (" + uid + ")");
            }
            assertTrue(direct.liverVoxels() > 0, "the model finds liver in the phantom");

            JsonPath jobs = given().get("/api/jobs").then().statusCode(200).extract().jsonPath();
            String at = "find { it.seriesUid == '" + ct.seriesInstanceUid() + "' }";
            assertEquals("DONE", jobs.getString(at + ".state"));
            assertTrue(jobs.getDouble(at + ".result.liverMl") > 0, jobs.prettify());
            assertEquals(Math.round(direct.liverMl() * 10) / 10.0, jobs.getDouble(at + ".result.liverMl"), 1e-9);
            assertEquals("DELIVERED", jobs.getString(at + ".result.delivery.status"));
            assertEquals(24, jobs.getInt(at + ".result.framesWritten"));
            assertNotNull(jobs.get(at + ".result.timings.inferenceMs"));
            assertNotNull(jobs.get(at + ".finishedAt"));
            String segSeries = jobs.getString(at + ".result.segSeriesInstanceUid");
            assertEquals(delivered.seriesInstanceUid(), segSeries);
            assertEquals(delivered.sopInstanceUid(), jobs.getString(at + ".result.segSopInstanceUid"));
            // Derived from the job, not drawn at random: the job run again after a crash sends the same SEG.
            assertEquals(OutputUids.of(OutputUids.Kind.SEG, ct.seriesInstanceUid(), job.id, job.queuedAt),
                    new OutputUids(delivered.seriesInstanceUid(), delivered.sopInstanceUid()));

            given().get("/api/studies/" + ct.studyInstanceUid()).then().statusCode(200)
                    // no SR (livernode.outputs=seg): the study list's volume is the job's
                    .body("series.find { it.seriesUid == '" + ct.seriesInstanceUid() + "' }.liverVolume.from", equalTo("JOB"))
                    .body("series.find { it.seriesUid == '" + ct.seriesInstanceUid() + "' }.liverVolume.ml",
                            equalTo((float) jobs.getDouble(at + ".result.liverMl")))
                    .body("series.find { it.seriesUid == '" + segSeries + "' }.modality", equalTo("SEG"))
                    .body("series.find { it.seriesUid == '" + segSeries + "' }.instanceCount", equalTo(1));
        }
    }

    @Test
    void destinationNeverUpFailsTheJobKeepsTheSegAndResendDeliversItLater() throws Exception {
        SyntheticCtSeries ct = phantom(10).write(temp.resolve("ct"));
        DcmtkStoreScp pacs = knownScp(PipelineTestResources.DOWN_AE);
        try (pacs) {
            send(PipelineTestResources.DOWN_AE, ct.files());
            Job job = awaitFailedAttempts(ct.seriesInstanceUid(), PipelineTestResources.DELIVERY_ATTEMPTS);
            assertEquals("FAILED", job.getState().name());
            assertTrue(job.reason.contains(pacs.remoteAe().toString()), "reason names the destination: " + job.reason);
            JsonPath result = JsonPath.from(job.resultJson);
            assertEquals("FAILED", result.getString("delivery.status"));
            assertEquals(PipelineTestResources.DELIVERY_ATTEMPTS, result.getInt("delivery.attempts"));
            Path kept = store.resolve(result.getString("segPath"));
            assertTrue(Files.isRegularFile(kept), "SEG kept at " + kept);
            given().get("/api/series/" + result.getString("segSeriesInstanceUid")).then().statusCode(200)
                    .body("modality", equalTo("SEG"))
                    .body("instances[0].sopInstanceUid", equalTo(result.getString("segSopInstanceUid")));

            // Still down: the resend fails as a 502 naming the destination, and the job stays FAILED.
            given().post("/api/jobs/" + job.id + "/resend").then().statusCode(502)
                    .contentType("application/problem+json")
                    .body("detail", containsString(pacs.remoteAe().toString()));
            given().get("/api/jobs?state=FAILED").then().body("id", org.hamcrest.Matchers.hasItem(job.id.intValue()));

            pacs.start();
            given().post("/api/jobs/" + job.id + "/resend").then().statusCode(200)
                    .body("id", equalTo(job.id.intValue()))
                    .body("state", equalTo("DONE"))
                    .body("result.delivery.status", equalTo("DELIVERED"))
                    .body("result.segSopInstanceUid", equalTo(result.getString("segSopInstanceUid")));
            List<Path> received = files(pacs.directory);
            assertEquals(1, received.size(), "delivered once: " + received);
            assertEquals(result.getString("segSopInstanceUid"), SegmentationReader.read(received.get(0)).sopInstanceUid());
        }
        given().post("/api/jobs/987654321/resend").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("987654321"));
    }

    @Test
    void derivedAndGappedSeriesGetASegShortAndMixedModalitySeriesAreSkippedWithTheReason() throws Exception {
        SyntheticCtSeries derived = phantom(12).write(temp.resolve("derived"));
        for (Path f : derived.files()) {
            Dcmtk.Result r = Dcmtk.run("dcmodify", "-nb", "-q", "-m", "(0008,0008)=DERIVED\\SECONDARY\\AXIAL", f.toString());
            assertEquals(0, r.exitCode(), r.output());
        }
        SyntheticCtSeries shortSeries = phantom(4).write(temp.resolve("short"));
        SyntheticCtSeries gap = phantom(14).write(temp.resolve("gap"));
        List<Path> withGap = new ArrayList<>(gap.files());
        withGap.remove(gap.file(7));
        SyntheticCtSeries mixed = phantom(12).write(temp.resolve("mixed"));
        Path last = mixed.file(11); // sent last: the series row used to take its modality and queue no job at all
        Dcmtk.Result ot = Dcmtk.run("dcmodify", "-nb", "-q", "-m", "(0008,0060)=OT", last.toString());
        assertEquals(0, ot.exitCode(), ot.output());
        send("SELECTSCU", derived.files());
        send("SELECTSCU", shortSeries.files());
        send("SELECTSCU", withGap);
        send("SELECTSCU", mixed.files());

        Job derivedJob = awaitFinished(derived.seriesInstanceUid());
        Job tooShort = awaitFinished(shortSeries.seriesInstanceUid());
        Job gapJob = awaitFinished(gap.seriesInstanceUid());
        Job mixedJob = awaitFinished(mixed.seriesInstanceUid());
        JsonPath jobs = given().get("/api/jobs").then().statusCode(200).extract().jsonPath();
        String derivedAt = "find { it.seriesUid == '" + derived.seriesInstanceUid() + "' }";
        assertEquals("DONE", jobs.getString(derivedAt + ".state"), derivedJob.reason);
        String shortAt = "find { it.seriesUid == '" + shortSeries.seriesInstanceUid() + "' }";
        assertEquals("SKIPPED", jobs.getString(shortAt + ".state"));
        assertTrue(jobs.getString(shortAt + ".reason").contains("4 slice(s) to segment, fewer than the minimum of 10"),
                tooShort.reason);
        String gapAt = "find { it.seriesUid == '" + gap.seriesInstanceUid() + "' }";
        assertEquals("DONE", jobs.getString(gapAt + ".state"), gapJob.reason);
        assertEquals(13, jobs.getInt(gapAt + ".result.framesWritten"));
        assertTrue(jobs.getString(gapAt + ".result.notes[0]").contains("gap of 10.00 mm (about 1 missing slice(s)"),
                gapJob.resultJson);
        String mixedAt = "find { it.seriesUid == '" + mixed.seriesInstanceUid() + "' }";
        assertEquals("SKIPPED", jobs.getString(mixedAt + ".state"));
        assertTrue(mixedJob.reason.contains("the series mixes modalities: CT (11 images") && mixedJob.reason.contains(
                "OT (1 image, "), mixedJob.reason);

        // Neither refused series has a SEG to resend.
        given().post("/api/jobs/" + tooShort.id + "/resend").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("no stored SEG"));
        given().post("/api/jobs/" + mixedJob.id + "/resend").then().statusCode(409);
    }

    private static SyntheticCtSeries.Builder phantom(int slices) {
        return EndToEnd.phantom(slices);
    }

    private DcmtkStoreScp knownScp(String aeTitle) throws Exception {
        return EndToEnd.knownScp(config, aeTitle, temp.resolve("pacs-" + aeTitle));
    }

    private void send(String callingAe, List<Path> files) throws Exception {
        EndToEnd.send(node, callingAe, files);
    }

    private Job awaitFinished(String seriesUid) throws InterruptedException {
        return JobWaits.finished(queue, seriesUid, JOB_TIMEOUT);
    }

    /** Moves the clock past each backoff until the job has made {@code attempts} attempts and finished. */
    private Job awaitFailedAttempts(String seriesUid, int attempts) throws InterruptedException {
        for (int n = 1; n < attempts; n++) {
            int made = n;
            JobWaits.until(queue, seriesUid, j -> j.getState() == JobState.DELIVERING && j.deliveryAttempts == made
                    && j.leaseUntil == null, "failed delivery attempt " + n, JOB_TIMEOUT);
            clock.advance(PipelineTestResources.BACKOFF.plusSeconds(1));
        }
        return awaitFinished(seriesUid);
    }

    private static List<Path> files(Path dir) throws Exception {
        return EndToEnd.files(dir);
    }
}
