package org.livernode.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.testing.Dcmtk;
import org.livernode.testing.PackagedNode;
import org.livernode.testing.TestUser;
import org.livernode.testing.TestFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OHIF viewer shows the node's SEG over its CT, in a real browser. A packaged node ({@code bin/livernode serve},
 * fresh data directory, free ports) receives the bundled JPEG 2000 CT series from dcmtk's storescu and segments it;
 * then {@code viewer/viewer-test.mjs} drives Debian's Chromium through playwright-core: the node's study list, its
 * link into {@code /viewer}, a reload of that deep link, the CT, the SEG loaded through OHIF's prompt, screenshots
 * of two slices without and with the SEG. What the browser saw is judged here against the SEG file itself:
 *
 * <ul>
 *   <li>OHIF's labelmap has, on every CT image, as many liver pixels as the SEG frame that references that image,
 *       with the same centroid (within a pixel): right slice, not flipped, not transposed;</li>
 *   <li>on the screenshots, the overlay colours the liver (interior) and leaves every pixel away from it as it was,
 *       the mirror image of the liver included;</li>
 *   <li>the viewer's volume of the segment (cornerstone's statistics) is the job's liver volume, its mean over the
 *       CT that of enhanced liver; the study list shows the job and the volume (from the SR);</li>
 *   <li>no request of the page failed, none left the node's origin;</li>
 *   <li>the node's SR (the node runs with {@code livernode.outputs=seg,sr}) gives the study list its volume, is in
 *       OHIF's study browser and opens without an error; OHIF's Measurements panel shows its volume or, as OHIF
 *       3.13.2 does for a TID 1500 group without spatial coordinates, none.</li>
 * </ul>
 *
 * Screenshots, the browser's record and the node's log stay in {@code target/viewer-test/}. Runs with the other
 * integration tests ({@code mvn verify -DskipUTs=true -DskipITs=false}; {@code bin/test} runs them).
 */
class ViewerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE = Path.of("samples/siemens-ct-j2k");

    private final Path root = Path.of("").toAbsolutePath();
    private final Path out = root.resolve("target/viewer-test");
    private PackagedNode node;
    private Path data;

    /**
     * @param withFrameOfReference false: the same real series as anonymisers and research exports send it, without
     *                             Frame of Reference UID (the SEG then has none either; OHIF places it by reference)
     */
    @ParameterizedTest(name = "with Frame of Reference UID: {0}")
    @ValueSource(booleans = {true, false})
    void ohifShowsTheSegOverTheCtWhereTheLiverIs(boolean withFrameOfReference) throws Exception {
        requireViewerAndBrowser();
        long t0 = System.nanoTime();
        recreate(out);
        data = Files.createTempDirectory("livernode-viewer-");
        Map<String, String> env = new HashMap<>();
        env.put("LIVERNODE_DATA_DIR", data.toString());
        env.put("LIVERNODE_SERIES_QUIET_PERIOD", "3s");
        env.put("LIVERNODE_SERIES_CHECK_INTERVAL", "500ms");
        env.put("LIVERNODE_WORKER_POLL_INTERVAL", "500ms");
        env.put("LIVERNODE_OUTPUTS", "seg,sr"); // the SR is stored with the SEG: the study list and OHIF show it
        node = PackagedNode.start("node", root, out.resolve("node.log"), env);
        node.awaitReady(Duration.ofSeconds(120));
        checkServing();

        List<Path> slices;
        try (Stream<Path> files = Files.list(root.resolve(SAMPLE))) {
            slices = files.filter(f -> f.getFileName().toString().startsWith("CT.")).sorted().toList();
        }
        if (!withFrameOfReference) {
            slices = withoutFrameOfReference(slices, out.resolve("sent-without-frame-of-reference"));
        }
        Dcmtk.Result sent = Dcmtk.storescu("LIVERNODE", node.dicomPort(), List.of("--propose-j2k-lossless"), slices);
        assertEquals(slices.size(), sent.count("Received Store Response (Success)"), sent.output());
        JsonNode job = awaitDoneJob(Duration.ofSeconds(240));
        String study = job.path("studyUid").asText();
        JsonNode result = job.path("result");
        System.out.printf("viewer: node ready, %d slices sent and segmented in %d ms (liver %.1f mL)%n", slices.size(),
                ms(t0), result.path("liverMl").asDouble());

        DecodedSegmentation seg = SegmentationReader.read(data.resolve(result.path("segPath").asText()));
        Map<String, byte[]> masks = seg.masksByReferencedSopInstanceUid(1);
        assertEquals(slices.size(), masks.size(), "one SEG frame per CT slice");
        List<String> byLiver = masks.keySet().stream()
                .sorted(Comparator.comparingInt((String sop) -> count(masks.get(sop))).reversed()).toList();
        // The slices with the most and the least liver (every slice of the sample has some).
        List<String> shot = List.of(byLiver.get(0), byLiver.get(byLiver.size() - 1));

        JsonNode seen = runBrowser(study, slices.size(), shot);
        System.out.printf("viewer: browser done in %.1f s%n", seen.path("seconds").asDouble());
        assertEquals(List.of(), JSON.convertValue(seen.path("problems"), List.class),
                "the page's failed requests, requests to other origins and errors");
        assertTrue(seen.path("viewerUrl").asText().startsWith(node.baseUrl() + "/viewer/viewer?StudyInstanceUIDs=" + study),
                "the study list's link opens the study in /viewer: " + seen.path("viewerUrl"));
        String row = seen.path("studyListRow").asText();
        assertTrue(row.contains("DONE") && row.contains(String.format(Locale.ROOT, "%.1f SR", result.path("liverMl").asDouble())),
                "the study list shows the job and its liver volume, read back from the SR: " + row);

        JsonNode segmentation = seen.path("segmentations").get(0);
        assertEquals(1, seen.path("segmentations").size(), "one segmentation loaded: " + seen.path("segmentations"));
        assertEquals("Liver", segmentation.path("segments").get(0).path("label").asText(), segmentation.toString());
        double volumeMl = seen.path("statistics").path("volumeMm3").asDouble() / 1000;
        assertEquals(result.path("liverMl").asDouble(), volumeMl, 0.01 * volumeMl, "the viewer's liver volume, mL");
        double meanHu = seen.path("statistics").path("meanHu").asDouble(Double.NaN);
        assertTrue(meanHu > 40 && meanHu < 160, "the segment lies on enhanced soft tissue in the viewer, mean "
                + meanHu + " HU");

        checkLabelmaps(seen.path("stack"), seg, masks);
        for (JsonNode s : seen.path("shots")) {
            checkScreenshots(s, seg, masks.get(s.path("sop").asText()));
        }
        checkSr(seen.path("sr"), seen.path("srProblems"), result.path("liverMl").asDouble());
        System.out.printf("viewer: whole test %d ms; screenshots in %s%n", ms(t0), root.relativize(out));
    }

    /**
     * What OHIF shows of the node's SR (issue 15): its series in the study browser, opened without an error or a
     * failed request; its Measurements panel either shows the job's volume or, as OHIF 3.13.2 does for a TID 1500
     * group without spatial coordinates (see the README), "No tracked measurements".
     */
    private static void checkSr(JsonNode sr, JsonNode problems, double liverMl) {
        System.out.printf("viewer: SR thumbnail %s%nviewer: SR viewport %s%nviewer: SR measurements panel %s%n"
                        + "viewer: SR error %s, problems %s%n", sr.path("thumbnail"), sr.path("viewport"),
                sr.path("measurementsPanel"), sr.path("error"), problems);
        String thumbnail = sr.path("thumbnail").asText();
        assertTrue(thumbnail.contains("SR") && thumbnail.contains("Liver volume report"),
                "the SR series is in OHIF's study browser: " + sr);
        assertTrue(sr.path("error").isNull(), "the SR opened as a user opens it: " + sr);
        assertEquals(List.of(), JSON.convertValue(problems, List.class), "failed requests and page errors with the SR open");
        String panel = sr.path("measurementsPanel").asText();
        assertTrue(sr.path("measurementsTab").asBoolean() && panel.startsWith("Measurements ("),
                "OHIF's Measurements panel opened beside the SR: " + panel);
        java.util.regex.Matcher volume = java.util.regex.Pattern.compile("Volume\\W+([0-9.]+) ml").matcher(panel);
        if (volume.find()) { // a later OHIF that lists it must show the job's volume
            assertEquals(liverMl, Double.parseDouble(volume.group(1)), 0.05, "the volume OHIF shows from the SR: " + panel);
        } else { // OHIF 3.13.2: none listed (the group has no SCOORD/SCOORD3D to place it on an image)
            assertEquals("Measurements (0)\nNo tracked measurements", panel, "what OHIF shows for the SR");
        }
    }

    /** Copies of the slices with Frame of Reference UID erased (dcmodify), every other attribute as scanned. */
    private static List<Path> withoutFrameOfReference(List<Path> slices, Path dir) throws Exception {
        Files.createDirectories(dir);
        List<Path> copies = new java.util.ArrayList<>();
        for (Path s : slices) {
            Path copy = dir.resolve(s.getFileName());
            Files.copy(s, copy);
            copies.add(copy);
        }
        List<String> command = new java.util.ArrayList<>(List.of("dcmodify", "-nb", "-ea", "(0020,0052)"));
        copies.forEach(c -> command.add(c.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "dcmodify: " + output);
        return copies;
    }

    /** The pages and files the viewer needs, and the answers for what is not there. */
    private void checkServing() throws Exception {
        assertTrue(node.get("/").contains("/studies.js"), "study list at /");
        String index = node.get("/viewer/");
        assertTrue(index.contains("src=\"/viewer/app.bundle.") && index.contains("window.PUBLIC_URL=\"/viewer/\""),
                "OHIF's index.html with its paths under /viewer");
        assertTrue(node.get("/viewer/app-config.js").contains("routerBasename: '/viewer'"), "the node's OHIF configuration");
        HttpResponse<String> route = node.request("/viewer/viewer?StudyInstanceUIDs=1.2.3", "text/html,*/*;q=0.8");
        assertEquals(200, route.statusCode(), "a viewer route reloaded in the browser");
        assertTrue(route.body().contains("/viewer/app.bundle."), "a viewer route is OHIF's index.html");
        HttpResponse<String> missing = node.request("/viewer/no-such-chunk.js", "*/*");
        assertEquals(404, missing.statusCode(), missing.body());
        assertEquals(Problem.MEDIA_TYPE, missing.headers().firstValue("Content-Type").orElse(""));
    }

    /** OHIF's labelmap of each CT image against the SEG frame that references the image. */
    private static void checkLabelmaps(JsonNode stack, DecodedSegmentation seg, Map<String, byte[]> masks) {
        assertEquals(masks.size(), stack.size(), "images in the viewport");
        assertEquals(List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0), java.util.Arrays.stream(seg.imageOrientationPatient())
                .map(Math::rint).boxed().toList(), "the sample is axial");
        for (JsonNode image : stack) {
            String sop = image.path("sop").asText();
            byte[] mask = masks.get(sop);
            assertNotNull(mask, "the SEG has a frame for viewport image " + sop);
            JsonNode labelmap = image.path("labelmap");
            assertEquals(seg.rows(), labelmap.path("rows").asInt(), sop);
            assertEquals(seg.columns(), labelmap.path("columns").asInt(), sop);
            assertEquals(count(mask), labelmap.path("count").asInt(), "liver pixels OHIF shows on " + sop);
            double[] expected = centroid(mask, seg.columns());
            double dc = labelmap.path("centroid").get(0).asDouble() - expected[0];
            double dr = labelmap.path("centroid").get(1).asDouble() - expected[1];
            assertTrue(Math.hypot(dc, dr) < 1, "liver centroid on " + sop + " moved by (" + dc + ", " + dr + ") pixels");
            // Anatomy: rows run to the patient's left (axial, Image Orientation 1\\0\\0\\0\\1\\0), so the liver,
            // on the patient's right, lies in the left half of every frame; a SEG written mirrored would not.
            assertTrue(expected[0] < seg.columns() / 2.0, "liver centroid column " + expected[0] + " on " + sop);
        }
    }

    private void checkScreenshots(JsonNode shot, DecodedSegmentation seg, byte[] mask) throws IOException {
        JsonNode before = shot.path("before");
        JsonNode after = shot.path("after");
        for (String key : List.of("origin", "colStep", "rowStep")) {
            assertEquals(before.path(key), after.path(key), "the view did not move when the SEG was loaded: " + key);
        }
        BufferedImage without = ImageIO.read(out.resolve(before.path("file").asText()).toFile());
        BufferedImage with = ImageIO.read(out.resolve(after.path("file").asText()).toFile());
        OverlayPixels p = OverlayPixels.compare(mask, seg.rows(), seg.columns(), before, without, with);
        System.out.printf(Locale.ROOT, "viewer: slice %s (%d liver pixels): overlay on %d/%d liver samples, "
                        + "%d/%d elsewhere, %d/%d mirrored%n", shot.path("sop").asText(), count(mask), p.liverChanged(),
                p.liver(), p.elsewhereChanged(), p.elsewhere(), p.mirroredChanged(), p.mirrored());
        assertTrue(p.liver() > 100 && p.liverChangedFraction() > 0.95, "overlay drawn on the liver: " + p);
        assertTrue(p.elsewhere() > 1000 && p.elsewhereChangedFraction() < 0.01, "no overlay away from the liver: " + p);
        assertTrue(p.mirrored() > 50 && p.mirroredChangedFraction() < 0.01, "no overlay on the liver's mirror image: " + p);
    }

    private JsonNode runBrowser(String study, int images, List<String> slices) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("base", node.baseUrl());
        // The browser signs in through the login form as the test user (PackagedNode sets its password).
        request.put("user", TestUser.NAME);
        request.put("password", TestUser.PASSWORD);
        request.put("study", study);
        request.put("images", images);
        request.set("slices", JSON.valueToTree(slices));
        request.put("out", out.toString());
        Path requestFile = out.resolve("request.json");
        JSON.writeValue(requestFile.toFile(), request);
        Path log = out.resolve("viewer-test.log");
        Process p = new ProcessBuilder("node", root.resolve("viewer/viewer-test.mjs").toString(), requestFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("viewer-test.mjs still running after 4 minutes:\n" + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), "viewer-test.mjs failed:\n" + Files.readString(log));
        return JSON.readTree(out.resolve("observations.json").toFile());
    }

    private JsonNode awaitDoneJob(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode jobs = null;
        while (System.nanoTime() < deadline) {
            jobs = JSON.readTree(node.get("/api/jobs"));
            for (JsonNode j : jobs) {
                String state = j.path("state").asText();
                if (state.equals("DONE") && j.path("result").has("segPath")) {
                    return j;
                }
                if (state.equals("FAILED") || state.equals("SKIPPED")) {
                    throw new AssertionError("job ended " + state + ": " + j + "\n" + node.tail());
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no job DONE within " + timeout + ": " + jobs + "\n" + node.tail());
    }

    private void requireViewerAndBrowser() {
        String chromium = System.getenv().getOrDefault("LIVERNODE_CHROMIUM", "/usr/bin/chromium");
        assertTrue(Files.isRegularFile(root.resolve("viewer/ohif/index.html")),
                "viewer/ohif is missing: run bin/setup (viewer/fetch-ohif.sh fetches the OHIF viewer with npm)");
        assertTrue(Files.isDirectory(root.resolve("viewer/node_modules/playwright-core")),
                "playwright-core is missing: run bin/setup (viewer/fetch-ohif.sh runs npm ci in viewer/)");
        assertTrue(Files.isExecutable(Path.of(chromium)), chromium + " is missing: run bin/setup (apt package chromium)");
    }

    private static int count(byte[] mask) {
        int n = 0;
        for (byte b : mask) {
            n += b;
        }
        return n;
    }

    private static double[] centroid(byte[] mask, int columns) {
        double c = 0;
        double r = 0;
        int n = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                c += i % columns;
                r += i / columns;
                n++;
            }
        }
        return new double[]{c / n, r / n};
    }

    private static void recreate(Path dir) throws IOException {
        TestFiles.deleteTree(dir);
        Files.createDirectories(dir);
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (data != null) {
            TestFiles.deleteTree(data);
        }
    }
}
