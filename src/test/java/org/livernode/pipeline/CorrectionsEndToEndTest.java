package org.livernode.pipeline;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.corrections.CorrectionMonitor;
import org.livernode.corrections.CorrectionSegs;
import org.livernode.dicom.DicomNode;
import org.livernode.dicom.ExternalTool;
import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.security.UserStore;
import org.livernode.store.InstanceStore;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.testing.Dcmtk;
import org.livernode.training.SegmentationMetrics;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 end to end: the node segments a phantom series; a radiologist's correction of its SEG (slices eroded
 * and dilated on purpose, Manufacturer not livernode) comes back as a BINARY SEG by storescu, as a 16-bit LABELMAP
 * SEG by storescu (negotiating Label Map Segmentation Storage) and as an 8-bit LABELMAP SEG by STOW-RS; the node's
 * own SEG sent back is no correction. The figures the node stores and serves (REST, Prometheus, the study list's QA
 * view in headless Chromium, signed in with the viewer role) equal those of {@link SegmentationMetrics#ofVolume} on the node's mask and the
 * correction's, on the CT's geometry.
 */
@QuarkusTest
@WithTestResource(PipelineTestResources.class)
class CorrectionsEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String RADIOLOGY = "RADIOLOGY";
    private static final String QA_READER = "qa-reader";
    private static final String QA_PASSWORD = "a-long-qa-password";

    @Inject
    DicomNode node;
    @Inject
    SegmentationWorker worker;
    @Inject
    CorrectionMonitor corrections;
    @Inject
    JobQueue queue;
    @Inject
    InstanceStore store;
    @Inject
    UserStore users;

    @TempDir
    Path temp;
    @TestHTTPResource("/")
    java.net.URL root;

    @BeforeEach
    void start() {
        node.start();
        worker.start("corrections-test:" + node.port());
        corrections.start();
    }

    @Test
    void correctionsInBothFormsAreMeasuredAgainstTheNodesSegWithTheFiguresOfTheMetrics() throws Exception {
        SyntheticCtSeries series = SyntheticCtSeries.builder().setSliceCount(16).setRows(256).setColumns(256)
                .setPixelSpacing(1.5, 1.5).setSliceSpacing(5.0).write(temp.resolve("ct"));
        send(List.of(), series.files());
        Job job = JobWaits.finished(queue, series.seriesInstanceUid(), TIMEOUT);
        assertEquals("DONE", job.getState().name(), job.reason);
        JsonPath result = JsonPath.from(job.resultJson);
        Path nodeSeg = store.resolve(result.getString("segPath"));

        CtSeries ct = CtSeriesReader.read(series.files());
        Map<String, byte[]> bySource = SegmentationReader.read(nodeSeg).masksByReferencedSopInstanceUid(1);
        byte[][] ai = new byte[ct.sliceCount()][];
        for (int k = 0; k < ai.length; k++) {
            ai[k] = bySource.getOrDefault(ct.sopInstanceUids().get(k), new byte[ct.rows() * ct.columns()]);
        }
        assertTrue(ct.maskVolumeMl(ai) > 0, "the model finds liver in the phantom");
        byte[][] binary = changed(ct, ai, -3, 2);
        byte[][] labels16 = changed(ct, ai, 2, -1);
        byte[][] labels8 = changed(ct, ai, 0, -4);
        Path binaryFile = CorrectionSegs.binary(ct, binary, temp.resolve("binary.dcm"));
        Path labelFile = CorrectionSegs.labelMap(ct, labels16, 4, 16, temp.resolve("labels16.dcm"));
        Path stowFile = CorrectionSegs.labelMap(ct, labels8, 1, 8, temp.resolve("labels8.dcm"));

        send(List.of("-R"), List.of(binaryFile, nodeSeg)); // -R: storescu proposes no SEG context by default
        send(List.of("-xf", labelMapProfile().toString(), "LabelMap"), List.of(labelFile));
        stow(stowFile);
        Path tilted = tilted(binaryFile, temp.resolve("tilted.dcm"));
        stow(tilted);

        String seriesPath = "/api/series/" + series.seriesInstanceUid();
        JsonPath served = awaitMeasured(seriesPath, 3);
        String model = result.getString("model");
        Map<Path, byte[][]> expected = Map.of(binaryFile, binary, labelFile, labels16, stowFile, labels8);
        double dscSum = 0;
        double worst = 1;
        for (Map.Entry<Path, byte[][]> e : expected.entrySet()) {
            DecodedSegmentation sent = SegmentationReader.read(e.getKey());
            String at = "corrections.find { it.sopInstanceUid == '" + sent.sopInstanceUid() + "' }.";
            SegmentationMetrics direct = SegmentationMetrics.ofVolume(ai, e.getValue(), ct.rows(), ct.columns(),
                    ct.geometry().rowSpacing(), ct.geometry().columnSpacing(), positions(ct));
            assertEquals("MEASURED", served.getString(at + "state"), served.prettify());
            assertEquals(sent.segmentationType(), served.getString(at + "segmentationType"));
            assertEquals(CorrectionSegs.MANUFACTURER, served.getString(at + "manufacturer"));
            assertEquals(model, served.getString(at + "model"));
            assertEquals(job.id.intValue(), served.getInt(at + "jobId"));
            assertEquals(result.getString("segSopInstanceUid"), served.getString(at + "aiSegSopInstanceUid"));
            assertEquals(direct.dsc(), served.getDouble(at + "dsc"), 1e-12, e.getKey().toString());
            assertEquals(direct.asdMm(), served.getDouble(at + "asdMm"), 1e-9);
            assertEquals(direct.hd95Mm(), served.getDouble(at + "hd95Mm"), 1e-9);
            assertEquals(ct.maskVolumeMl(ai), served.getDouble(at + "aiVolumeMl"), 1e-9);
            assertEquals(ct.maskVolumeMl(e.getValue()) - ct.maskVolumeMl(ai), served.getDouble(at + "volumeDifferenceMl"), 1e-9);
            assertTrue(direct.dsc() < 0.999 && direct.hd95Mm() > 0, "a real disagreement: " + direct);
            dscSum += direct.dsc();
            worst = Math.min(worst, direct.dsc());
        }
        assertEquals(Math.round(ct.maskVolumeMl(ai) * 10) / 10.0, result.getDouble("liverMl"), 1e-9,
                "the node's volume is the job's");
        assertFalse(served.getList("corrections.manufacturer").contains("livernode"), "the node's own SEG is no correction");

        String tiltedAt = "corrections.find { it.sopInstanceUid == '" + SegmentationReader.read(tilted).sopInstanceUid() + "' }.";
        JsonPath notMeasured = awaitState(seriesPath, tiltedAt, "NOT_MEASURED");
        assertTrue(notMeasured.getString(tiltedAt + "reason").contains("Image Orientation Patient"), notMeasured.prettify());

        JsonPath study = json(given().get("/api/studies/" + series.studyInstanceUid()).then().statusCode(200).extract().asString());
        // the series' answer once every correction is looked at (the tilted one may come after the first three)
        assertEquals(notMeasured.getList("corrections.dsc"), study.getList("corrections.dsc"));
        JsonPath qa = json(given().get("/api/corrections").then().statusCode(200).extract().asString());
        String perModel = "find { it.model == '" + model + "' }.";
        assertEquals(3, qa.getInt(perModel + "cases"));
        assertEquals(dscSum / 3, qa.getDouble(perModel + "meanDsc"), 1e-12);
        assertEquals(worst, qa.getDouble(perModel + "worst[0].dsc"), 1e-12);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        String tag = "{model=\"" + model + "\"}";
        assertEquals(3.0, metric(metrics, "livernode_corrections_cases" + tag), metrics);
        assertEquals(dscSum / 3, metric(metrics, "livernode_corrections_dsc_mean" + tag), 1e-9);
        assertEquals(3.0, metric(metrics, "livernode_correction_dsc_count" + tag));
        assertEquals(dscSum, metric(metrics, "livernode_correction_dsc_sum" + tag), 1e-9);

        // The study list's QA view in a real browser (headless Chromium), signed in through the login form as a user
        // with the viewer role only: the model's row, its figures, the worst case.
        users.put(QA_READER, QA_PASSWORD, List.of("viewer"));
        String base = root.toString().replaceAll("/$", "");
        ExternalTool.Result page = ExternalTool.run(List.of("node", Path.of("viewer/signed-in-page.mjs").toAbsolutePath().toString(),
                base, QA_READER, QA_PASSWORD, "/", "tr[data-model=\"" + model + "\"]"), 150);
        assertEquals(0, page.exitCode(), "viewer/signed-in-page.mjs failed: " + page.stderr());
        String dom = page.stdout();
        int at = dom.indexOf("data-model=\"" + model + "\"");
        assertTrue(at >= 0, "no QA row for " + model + " on the study list: " + dom + page.stderr());
        String row = dom.substring(at);
        assertTrue(row.contains("<td class=\"num qa-cases\">3</td>"), dom);
        assertTrue(row.contains(String.format(java.util.Locale.ROOT, "<td class=\"num qa-mean-dsc\">%.3f</td>", dscSum / 3)), dom);
        assertTrue(row.contains("StudyInstanceUIDs=" + series.studyInstanceUid()) && row.contains(
                String.format(java.util.Locale.ROOT, "DSC %.3f", worst)), dom);
    }

    /** The node's mask with its first half of liver slices grown by {@code first} pixels and the rest by {@code second}. */
    private static byte[][] changed(CtSeries ct, byte[][] ai, int first, int second) {
        byte[][] out = new byte[ai.length][];
        for (int k = 0; k < ai.length; k++) {
            out[k] = CorrectionSegs.grown(ai[k], ct.rows(), ct.columns(), k < ai.length / 2 ? first : second);
        }
        return out;
    }

    private static double[] positions(CtSeries ct) {
        double[] z = new double[ct.sliceCount()];
        for (int k = 0; k < z.length; k++) {
            z[k] = ct.alongNormal(k);
        }
        return z;
    }

    private JsonPath awaitMeasured(String path, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = json(given().get(path).then().statusCode(200).extract().asString());
            List<String> states = last.getList("corrections.state");
            if (states != null && states.stream().filter("MEASURED"::equals).count() >= count) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("fewer than " + count + " corrections measured within " + TIMEOUT + ": "
                + (last == null ? "" : last.prettify()));
    }

    private JsonPath awaitState(String path, String at, String state) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = json(given().get(path).then().statusCode(200).extract().asString());
            if (state.equals(last.getString(at + "state"))) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not " + state + " within " + TIMEOUT + ": " + (last == null ? "" : last.prettify()));
    }

    /** A copy of a correction (new UIDs) whose plane orientation is not the CT's: on another grid, not measurable. */
    private static Path tilted(Path correction, Path out) throws Exception {
        com.pixelmed.dicom.AttributeList seg = new com.pixelmed.dicom.AttributeList();
        seg.read(correction.toFile());
        seg.get(com.pixelmed.dicom.TagFromName.SOPInstanceUID).setValue(new com.pixelmed.utils.UUIDBasedOID().getOID());
        seg.get(com.pixelmed.dicom.TagFromName.SeriesInstanceUID).setValue(new com.pixelmed.utils.UUIDBasedOID().getOID());
        com.pixelmed.dicom.AttributeList shared = ((com.pixelmed.dicom.SequenceAttribute) seg.get(
                com.pixelmed.dicom.TagFromName.SharedFunctionalGroupsSequence)).getItem(0).getAttributeList();
        com.pixelmed.dicom.AttributeList plane = ((com.pixelmed.dicom.SequenceAttribute) shared.get(
                com.pixelmed.dicom.TagFromName.PlaneOrientationSequence)).getItem(0).getAttributeList();
        com.pixelmed.dicom.Attribute orientation = plane.get(com.pixelmed.dicom.TagFromName.ImageOrientationPatient);
        orientation.removeValues();
        for (String v : new String[] {"1", "0", "0", "0", "0", "-1"}) {
            orientation.addValue(v);
        }
        seg.remove(com.pixelmed.dicom.TagFromName.MediaStorageSOPInstanceUID);
        com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(seg,
                com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, "LIVERNODETEST");
        seg.write(out.toFile(), com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, true, true);
        return out;
    }

    /** dcmtk 3.6.7 does not know Label Map Segmentation Storage: storescu proposes it from an association profile. */
    private Path labelMapProfile() throws Exception {
        Path cfg = temp.resolve("labelmap.cfg");
        Files.writeString(cfg, String.join("\n", "[[TransferSyntaxes]]", "[Uncompressed]",
                "TransferSyntax1 = 1.2.840.10008.1.2.1", "[[PresentationContexts]]", "[LabelMapContexts]",
                "PresentationContext1 = 1.2.840.10008.5.1.4.1.1.66.7\\Uncompressed", "[[Profiles]]", "[LabelMap]",
                "PresentationContexts = LabelMapContexts", ""));
        return cfg;
    }

    private void send(List<String> options, List<Path> files) throws Exception {
        List<String> command = new ArrayList<>(List.of("storescu", "-aet", RADIOLOGY, "-aec", node.aeTitle()));
        command.addAll(options);
        command.addAll(List.of("127.0.0.1", Integer.toString(node.port())));
        files.forEach(f -> command.add(f.toString()));
        Dcmtk.Result r = Dcmtk.run(command);
        assertEquals(0, r.exitCode(), r.output());
    }

    private static void stow(Path file) throws Exception {
        String boundary = "correction-" + file.getFileName();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(Files.readAllBytes(file));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType("multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .body(body.toByteArray()).post("/dicom-web/studies").then().statusCode(200);
    }

    /** Numbers as doubles (JsonPath's default reads them as floats). */
    private static JsonPath json(String body) {
        return JsonPath.from(body).using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private static double metric(String exposition, String series) {
        return exposition.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no " + series + " in /q/metrics"));
    }
}
