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
import org.livernode.dicom.ExternalTool;
import org.livernode.dicom.overlay.LiverOutline;
import org.livernode.dicom.overlay.OverlayImageWriter;
import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.dicom.vocabulary.RemoteAe;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.testing.Dcmtk;
import org.livernode.testing.NodeTestResources;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 end to end: with {@code livernode.outputs=seg,sr,overlay} a dcmtk storescp as PACS receives the SEG, the
 * TID 1500 SR and one overlay image per slice; each passes dciodvfy, the SR's volume is the job's, the overlay's
 * burned-in pixels lie on the SEG's outline, and a resend replaces (the same SOP Instance UIDs again).
 */
@QuarkusTest
@WithTestResource(AllOutputsEndToEndTest.Resources.class)
class AllOutputsEndToEndTest {

    static final String PACS_AE = "ALLPACS";
    private static final int SLICES = 12;

    /** The node with every output sent to the sender, known at a free port. */
    public static class Resources extends NodeTestResources {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            try {
                config.put("livernode.known-aes", PACS_AE + "@127.0.0.1:" + DcmtkStoreScp.freePort());
            } catch (IOException e) {
                throw new IllegalStateException("cannot pick a free port", e);
            }
            config.put("livernode.outputs", "seg,sr,overlay");
            config.put("livernode.series.quiet-period", "1s");
            config.put("livernode.worker.poll-interval", "200ms");
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
        SyntheticCtSeries ct = SyntheticCtSeries.builder().setSliceCount(SLICES).setRows(256).setColumns(256)
                .setPixelSpacing(1.5, 1.5).setSliceSpacing(5.0).write(temp.resolve("ct"));
        RemoteAe ae = config.knownAes().orElseThrow().get(0);
        try (DcmtkStoreScp pacs = new DcmtkStoreScp(PACS_AE, ae.port(), Files.createDirectories(temp.resolve("pacs"))).start()) {
            List<String> command = new ArrayList<>(List.of("storescu", "-aet", PACS_AE, "-aec", node.aeTitle(),
                    "127.0.0.1", Integer.toString(node.port())));
            ct.files().forEach(f -> command.add(f.toString()));
            Dcmtk.Result sent = Dcmtk.run(command);
            assertEquals(0, sent.exitCode(), sent.output());
            Job job = awaitFinished(ct.seriesInstanceUid());
            assertEquals("DONE", job.getState().name(), "job reason: " + job.reason);

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
                    ExternalTool.Result check = ExternalTool.run(List.of("dciodvfy", f.toString()), 120);
                    String report = check.stdout() + check.stderr();
                    assertTrue(report.lines().noneMatch(l -> l.startsWith("Error")), f + ":\n" + report);
                    assertEquals(0, check.exitCode(), f + ":\n" + report);
                }
            }

            JsonPath jobs = given().get("/api/jobs").then().statusCode(200).extract().jsonPath();
            String at = "find { it.seriesUid == '" + ct.seriesInstanceUid() + "' }.result";
            double liverMl = jobs.getDouble(at + ".liverMl");
            assertTrue(liverMl > 0, jobs.prettify());
            Path segFile = received.get(SopClasses.SEGMENTATION_STORAGE).get(0);
            DecodedSegmentation seg = SegmentationReader.read(segFile);

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
        Path script = Path.of("src/test/resources/sr/read_measurement_report.py").toAbsolutePath();
        ExternalTool.Result r = ExternalTool.run(List.of("/usr/bin/python3", script.toString(), sr.toString()), 120);
        assertEquals(0, r.exitCode(), r.stderr());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout());
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

    private Job awaitFinished(String seriesUid) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            var job = queue.latestFor(seriesUid);
            if (job.isPresent() && !job.get().getState().isOpen()) {
                return job.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no finished job for series " + seriesUid + " within 3 minutes");
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
