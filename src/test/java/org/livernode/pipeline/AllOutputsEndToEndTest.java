package org.livernode.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.DcmtkStoreScp;
import org.livernode.dicom.DicomNode;
import org.livernode.dicom.overlay.LiverOutline;
import org.livernode.dicom.overlay.OverlayImageWriter;
import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.testing.Dcmtk;
import org.livernode.testing.PydicomSr;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 end to end: with {@code livernode.outputs=seg,sr,overlay} a dcmtk storescp as PACS receives the SEG, the
 * TID 1500 SR and one overlay image per slice; each passes dciodvfy, the SR's volume is the job's, the overlay's
 * burned-in pixels lie on the SEG's outline, and a resend replaces (the same SOP Instance UIDs again). A second
 * storescp, a RIS with {@code livernode.outputs-for.LIVERRIS=sr}, gets only the SR, at first and on resend. The
 * study list's volume is the one read back from the SR.
 */
@QuarkusTest
@WithTestResource(AllOutputsEndToEndTest.Resources.class)
class AllOutputsEndToEndTest {

    static final String PACS_AE = "ALLPACS";
    static final String RIS_AE = "LIVERRIS";
    private static final int SLICES = 12;
    private static final java.time.Duration JOB_TIMEOUT = java.time.Duration.ofMinutes(3);

    /** The node of {@link EndToEndTest} with every output sent to the sender, known at a free port. */
    public static class Resources extends PipelineTestResources {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            try {
                config.put("livernode.known-aes", PACS_AE + "@127.0.0.1:" + DcmtkStoreScp.freePort() + ","
                        + RIS_AE + "@127.0.0.1:" + DcmtkStoreScp.freePort());
            } catch (IOException e) {
                throw new IllegalStateException("cannot pick a free port", e);
            }
            config.put("livernode.outputs", "seg,sr,overlay");
            config.put("livernode.outputs-for." + RIS_AE, "sr");
            return config;
        }
    }

    @Inject
    DicomNode node;
    @Inject
    SegmentationWorker worker;
    @Inject
    LivernodeConfig config;
    @Inject
    JobQueue queue;
    @Inject
    org.livernode.store.InstanceStore store;

    @TempDir
    Path temp;

    @BeforeEach
    void startNodeAndWorker() {
        node.start();
        worker.start("outputs-test:" + node.port());
    }

    @Test
    void segSrAndOverlayArriveValidAndAgreeWithTheJob() throws Exception {
        SyntheticCtSeries ct = EndToEnd.phantom(SLICES).write(temp.resolve("ct"));
        try (DcmtkStoreScp pacs = EndToEnd.knownScp(config, PACS_AE, temp.resolve("pacs")).start()) {
            Job job = segmentedFor(PACS_AE, ct);

            assertEquals(List.of(), files(store.incomingDir()).stream().filter(f -> f.toString().endsWith(".part")).toList(),
                    "no written file left behind in incoming/");
            Map<String, List<Path>> received = bySopClass(pacs.directory);
            assertEquals(Set.of(SopClasses.SEGMENTATION_STORAGE, SopClasses.ENHANCED_SR_STORAGE, SopClasses.CT_IMAGE_STORAGE),
                    received.keySet(), "SEG, SR and overlay arrive: " + received);
            assertEquals(1, received.get(SopClasses.SEGMENTATION_STORAGE).size());
            assertEquals(1, received.get(SopClasses.ENHANCED_SR_STORAGE).size());
            assertEquals(SLICES, received.get(SopClasses.CT_IMAGE_STORAGE).size(), "one overlay image per slice");
            for (List<Path> files : received.values()) {
                for (Path f : files) {
                    EndToEnd.assertDciodvfyClean(f);
                }
            }

            JsonPath jobs = given().get("/api/jobs").then().statusCode(200).extract().jsonPath();
            String at = "find { it.seriesUid == '" + ct.seriesInstanceUid() + "' }.result";
            double liverMl = jobs.getDouble(at + ".liverMl");
            assertTrue(liverMl > 0, jobs.prettify());
            Path segFile = received.get(SopClasses.SEGMENTATION_STORAGE).get(0);
            DecodedSegmentation seg = SegmentationReader.read(segFile);

            assertEquals(List.of("SEG", "SR", "OVERLAY"), jobs.getList(at + ".delivery.outputs"));
            JsonNode sr = readWithPydicom(received.get(SopClasses.ENHANCED_SR_STORAGE).get(0));
            JsonNode group = sr.get("groups").get(0);
            assertEquals(ct.studyInstanceUid(), sr.get("studyUid").asText());
            assertEquals(liverMl, group.get("measurements").get(0).get("value").asDouble(), 0.0, "the SR's volume is the job's");
            assertEquals("ml", group.get("measurements").get(0).get("unit").get("value").asText());
            assertEquals(jobs.getDouble(at + ".liverMeanHu"), group.get("measurements").get(1).get("value").asDouble(), 0.0);
            assertEquals(seg.sopInstanceUid(), group.get("referencedSegment").get("sopInstanceUid").asText());
            assertEquals(ct.seriesInstanceUid(), group.get("sourceSeries").asText());

            CtSeries volume = CtSeriesReader.read(ct.files());
            Map<String, byte[]> masks = seg.masksByReferencedSopInstanceUid(1);
            int outlined = 0;
            for (Path f : received.get(SopClasses.CT_IMAGE_STORAGE)) {
                outlined += checkOutline(f, volume, masks, liverMl);
            }
            assertTrue(outlined > 100, "outline pixels over the series: " + outlined);

            // The study list's volume is read back from the SR the node stored (and says so).
            String ctSeries = "series.find { it.seriesUid == '" + ct.seriesInstanceUid() + "' }.liverVolume";
            given().get("/api/studies/" + ct.studyInstanceUid()).then().statusCode(200)
                    .body(ctSeries + ".from", org.hamcrest.Matchers.equalTo("SR"))
                    .body(ctSeries + ".ml", org.hamcrest.Matchers.equalTo((float) liverMl))
                    .body(ctSeries + ".srSopInstanceUid", org.hamcrest.Matchers.equalTo(sr.get("sopInstanceUid").asText()));

            Set<String> before = sopInstanceUids(pacs.directory);
            given().post("/api/jobs/" + job.id + "/resend").then().statusCode(200);
            assertEquals(before, sopInstanceUids(pacs.directory), "a resend sends the same objects again (they replace)");

            // The node serves them over DICOMweb as series of the study, and takes an SR from a peer by C-STORE.
            given().get("/dicom-web/studies/" + ct.studyInstanceUid() + "/series?Modality=SR").then().statusCode(200)
                    .body("size()", org.hamcrest.Matchers.equalTo(1));
            Dcmtk.Result back = Dcmtk.run(List.of("storescu", "-aet", "OTHERPACS", "-aec", node.aeTitle(), "127.0.0.1",
                    Integer.toString(node.port()), received.get(SopClasses.ENHANCED_SR_STORAGE).get(0).toString()));
            assertEquals(0, back.exitCode(), back.output());
        }
    }

    @Test
    void aDestinationWithItsOwnOutputsGetsOnlyThoseAtFirstAndOnResend() throws Exception {
        SyntheticCtSeries ct = EndToEnd.phantom(SLICES).write(temp.resolve("ct-ris"));
        try (DcmtkStoreScp ris = EndToEnd.knownScp(config, RIS_AE, temp.resolve("ris")).start()) {
            Job job = segmentedFor(RIS_AE, ct);

            Map<String, List<Path>> received = bySopClass(ris.directory);
            assertEquals(Set.of(SopClasses.ENHANCED_SR_STORAGE), received.keySet(), "the RIS gets the SR only: " + received);
            assertEquals(1, received.get(SopClasses.ENHANCED_SR_STORAGE).size());
            Path srFile = received.get(SopClasses.ENHANCED_SR_STORAGE).get(0);
            EndToEnd.assertDciodvfyClean(srFile);
            JsonPath jobs = given().get("/api/jobs").then().statusCode(200).extract().jsonPath();
            String at = "find { it.seriesUid == '" + ct.seriesInstanceUid() + "' }.result";
            assertEquals(List.of("SR"), jobs.getList(at + ".delivery.outputs"));
            assertEquals(jobs.getDouble(at + ".liverMl"),
                    readWithPydicom(srFile).get("groups").get(0).get("measurements").get(0).get("value").asDouble(), 0.0);
            // What other destinations get is still written and stored: the SEG (for the viewer) and the overlay.
            assertEquals(List.of("SR", "OVERLAY"), jobs.getList(at + ".outputs.kind"));
            given().get("/api/studies/" + ct.studyInstanceUid()).then().statusCode(200)
                    .body("series.modality", org.hamcrest.Matchers.hasItems("CT", "SEG", "SR"));

            Set<String> before = sopInstanceUids(ris.directory);
            given().post("/api/jobs/" + job.id + "/resend").then().statusCode(200)
                    .body("result.delivery.outputs", org.hamcrest.Matchers.equalTo(List.of("SR")));
            assertEquals(before, sopInstanceUids(ris.directory), "the resend sends the same SR again, nothing else");
            assertEquals(1, files(ris.directory).size());
        }
    }

    /** Sends the series as {@code callingAe} and waits for its job, which must end DONE. */
    private Job segmentedFor(String callingAe, SyntheticCtSeries ct) throws Exception {
        EndToEnd.send(node, callingAe, ct.files());
        Job job = JobWaits.finished(queue, ct.seriesInstanceUid(), JOB_TIMEOUT);
        assertEquals("DONE", job.getState().name(), "job reason: " + job.reason);
        return job;
    }

    /** The overlay's pixels that differ from its source slice's HU are exactly the outline of the SEG's frame. */
    private int checkOutline(Path overlay, CtSeries volume, Map<String, byte[]> masks, double liverMl) throws Exception {
        AttributeList img = new AttributeList();
        img.read(overlay.toFile());
        assertEquals("YES", Attribute.getSingleStringValueOrNull(img, TagFromName.BurnedInAnnotation));
        String source = Attribute.getSingleStringValueOrNull(((SequenceAttribute) img.get(TagFromName.SourceImageSequence))
                .getItem(0).getAttributeList(), TagFromName.ReferencedSOPInstanceUID);
        int k = volume.sopInstanceUids().indexOf(source);
        assertTrue(k >= 0, "the overlay's source is a slice of the series: " + source);
        float[] hu = volume.sliceHu(k);
        byte[] mask = masks.get(source);
        boolean[] outline = LiverOutline.of(mask, volume.rows(), volume.columns());
        short[] pixels = img.get(TagFromName.PixelData).getShortValues();
        int[] box = OverlayImageWriter.textBox(liverMl, volume.columns());
        int count = 0;
        for (int i = 0; i < pixels.length; i++) {
            int r = i / volume.columns();
            int c = i % volume.columns();
            if (r < box[1] && c < box[0]) {
                continue;
            }
            boolean burned = pixels[i] != (short) Math.round(hu[i]);
            assertEquals(outline[i], burned, overlay.getFileName() + " pixel (" + r + ", " + c + ")");
            count += outline[i] ? 1 : 0;
        }
        return count;
    }

    private static JsonNode readWithPydicom(Path sr) throws Exception {
        return PydicomSr.read(sr);
    }

    private static Map<String, List<Path>> bySopClass(Path dir) throws Exception {
        Map<String, List<Path>> map = new java.util.TreeMap<>();
        for (Path f : files(dir)) {
            AttributeList header = new AttributeList();
            header.read(f.toFile(), TagFromName.PixelData);
            map.computeIfAbsent(Attribute.getSingleStringValueOrNull(header, TagFromName.SOPClassUID), x -> new ArrayList<>()).add(f);
        }
        return map;
    }

    private static Set<String> sopInstanceUids(Path dir) throws Exception {
        Set<String> uids = new TreeSet<>();
        for (Path f : files(dir)) {
            AttributeList header = new AttributeList();
            header.read(f.toFile(), TagFromName.PixelData);
            uids.add(Attribute.getSingleStringValueOrNull(header, TagFromName.SOPInstanceUID));
        }
        return uids;
    }

    private static List<Path> files(Path dir) throws Exception {
        return EndToEnd.files(dir);
    }
}
