package org.livernode.dicom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.livernode.testing.PackagedNode;
import org.livernode.testing.TestFiles;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.livernode.testing.CtHeaderZoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real PACS pushes a study to the node and gets the SEG back into the same study. A real Orthanc (Debian's
 * /usr/sbin/Orthanc, its own JSON configuration, storage in a temporary folder, HTTP on loopback only, free ports)
 * receives the bundled real CT series over its REST API, with the Frame of Reference UID erased as anonymisers leave
 * it; Orthanc is asked to push the study to the node (REST {@code /modalities/livernode/store}); the packaged node
 * segments it and sends the SEG back to Orthanc (its entry in {@code livernode.known-aes}). Then the study in
 * Orthanc has a SEG series whose file passes dciodvfy with 0 errors and references the pushed slices.
 */
class OrthancPushIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1 only: an h2c upgrade offered on a POST with a body was seen to get no answer from Orthanc's server.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path ORTHANC = Path.of("/usr/sbin/Orthanc");
    private static final String ORTHANC_AE = "ORTHANC";

    private final Path root = Path.of("").toAbsolutePath();
    private final Path out = root.resolve("target/orthanc-push-test");
    private Path work;
    private Process orthanc;
    private PackagedNode node;
    private String orthancUrl;

    @Test
    void orthancPushesAStudyAndTheSegLandsInTheSameStudy() throws Exception {
        assertTrue(Files.isExecutable(ORTHANC), ORTHANC + " is missing: run bin/setup (apt package orthanc)");
        TestFiles.deleteTree(out);
        Files.createDirectories(out);
        work = Files.createTempDirectory("livernode-orthanc-");
        int orthancDicom = DcmtkStoreScp.freePort();
        int orthancHttp = DcmtkStoreScp.freePort();

        Map<String, String> env = new HashMap<>();
        env.put("LIVERNODE_DATA_DIR", work.resolve("node").toString());
        env.put("LIVERNODE_SERIES_QUIET_PERIOD", "3s");
        env.put("LIVERNODE_SERIES_CHECK_INTERVAL", "500ms");
        env.put("LIVERNODE_WORKER_POLL_INTERVAL", "500ms");
        env.put("LIVERNODE_KNOWN_AES", ORTHANC_AE + "@127.0.0.1:" + orthancDicom);
        node = PackagedNode.start("node", root, out.resolve("node.log"), env);
        startOrthanc(orthancHttp, orthancDicom, node.dicomPort());
        node.awaitReady(Duration.ofSeconds(120));

        List<Path> slices = withoutFrameOfReference(work.resolve("sent"));
        String study = null;
        for (Path slice : slices) {
            JsonNode stored = JSON.readTree(orthanc("POST", "/instances", Files.readAllBytes(slice)));
            study = stored.path("ParentStudy").asText();
        }
        JsonNode pushed = JSON.readTree(orthanc("POST", "/modalities/livernode/store",
                JSON.writeValueAsBytes(JSON.createObjectNode().put("Synchronous", true)
                        .set("Resources", JSON.createArrayNode().add(study)))));
        assertEquals(slices.size(), pushed.path("InstancesCount").asInt(), "Orthanc pushed the study: " + pushed);

        JsonNode seg = awaitSegSeries(study, Duration.ofSeconds(300));
        JsonNode instances = JSON.readTree(orthanc("GET", "/series/" + seg.path("ID").asText() + "/instances", null));
        assertEquals(1, instances.size(), "one SEG instance: " + instances);
        Path segFile = out.resolve("seg-from-orthanc.dcm");
        Files.write(segFile, orthancBytes("/instances/" + instances.get(0).path("ID").asText() + "/file"));
        ExternalTool.Result r = ExternalTool.run(List.of("dciodvfy", segFile.toString()), 60);
        String report = r.stdout() + r.stderr();
        System.out.println("dciodvfy on the SEG Orthanc holds:\n" + report);
        assertEquals(List.of(), report.lines().filter(l -> l.startsWith("Error")).toList());
        assertEquals(0, r.exitCode(), report);

        org.livernode.dicom.seg.DecodedSegmentation decoded = org.livernode.dicom.seg.SegmentationReader.read(segFile);
        assertEquals(slices.size(), decoded.frames().size(), "one SEG frame per pushed slice");
        JsonNode ctSeries = JSON.readTree(orthanc("GET", "/studies/" + study + "/series", null));
        List<String> ctUids = new ArrayList<>();
        for (JsonNode s : ctSeries) {
            if ("CT".equals(s.path("MainDicomTags").path("Modality").asText())) {
                for (JsonNode i : JSON.readTree(orthanc("GET", "/series/" + s.path("ID").asText() + "/instances", null))) {
                    ctUids.add(i.path("MainDicomTags").path("SOPInstanceUID").asText());
                }
            }
        }
        assertEquals(new java.util.TreeSet<>(ctUids), new java.util.TreeSet<>(decoded.frames().stream()
                .map(org.livernode.dicom.seg.SegmentationFrame::referencedSopInstanceUid).toList()), "the SEG references the CT in Orthanc");
        JsonNode job = JSON.readTree(node.get("/api/jobs")).get(0);
        assertEquals("DELIVERED", job.path("result").path("delivery").path("status").asText(), job.toString());
    }

    /**
     * The zoo through a real PACS: each multi-slice series and multi-frame file of the header zoo that is an axial CT
     * (all but {@link CtHeaderZoo#NOT_SEGMENTED}) is uploaded to Orthanc as it is, pushed to the node, and
     * its SEG must land in the same Orthanc study with 0 dciodvfy errors. One unit at a time, the study deleted
     * after: several zoo units are one image in several encodings with the same UIDs.
     */
    @Test
    void orthancPushesEveryZooSeriesAndEachStudyGetsAValidSeg() throws Exception {
        assertTrue(Files.isExecutable(ORTHANC), ORTHANC + " is missing: run bin/setup (apt package orthanc)");
        List<CtHeaderZoo.Unit> units = CtHeaderZoo.units().stream()
                .filter(u -> !u.single() && !CtHeaderZoo.NOT_SEGMENTED.containsKey(u.name())).toList();
        TestFiles.deleteTree(out);
        Files.createDirectories(out);
        work = Files.createTempDirectory("livernode-orthanc-zoo-");
        int orthancDicom = DcmtkStoreScp.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("LIVERNODE_DATA_DIR", work.resolve("node").toString());
        env.put("LIVERNODE_SERIES_QUIET_PERIOD", "2s");
        env.put("LIVERNODE_SERIES_CHECK_INTERVAL", "500ms");
        env.put("LIVERNODE_WORKER_POLL_INTERVAL", "500ms");
        env.put("LIVERNODE_SELECTION_MIN_SLICES", "1"); // the zoo's series have 2 to 5 slices
        env.put("LIVERNODE_KNOWN_AES", ORTHANC_AE + "@127.0.0.1:" + orthancDicom);
        node = PackagedNode.start("node", root, out.resolve("node.log"), env);
        startOrthanc(DcmtkStoreScp.freePort(), orthancDicom, node.dicomPort());
        node.awaitReady(Duration.ofSeconds(120));

        List<String> wrong = new ArrayList<>();
        for (CtHeaderZoo.Unit unit : units) {
            String study = null;
            for (Path file : unit.files()) {
                study = JSON.readTree(orthanc("POST", "/instances", Files.readAllBytes(file))).path("ParentStudy").asText();
            }
            orthanc("POST", "/modalities/livernode/store", JSON.writeValueAsBytes(JSON.createObjectNode()
                    .put("Synchronous", true).set("Resources", JSON.createArrayNode().add(study))));
            try {
                JsonNode seg = awaitSegSeries(study, Duration.ofSeconds(180));
                JsonNode instances = JSON.readTree(orthanc("GET", "/series/" + seg.path("ID").asText() + "/instances", null));
                Path segFile = out.resolve("seg-" + units.indexOf(unit) + ".dcm");
                Files.write(segFile, orthancBytes("/instances/" + instances.get(0).path("ID").asText() + "/file"));
                ExternalTool.Result r = ExternalTool.run(List.of("dciodvfy", segFile.toString()), 60);
                List<String> errors = (r.stdout() + r.stderr()).lines().filter(l -> l.startsWith("Error")).toList();
                if (!errors.isEmpty()) {
                    wrong.add(unit.name() + ": the SEG in Orthanc fails dciodvfy: " + errors);
                }
            } catch (AssertionError e) {
                wrong.add(unit.name() + ": " + e.getMessage());
            }
            orthanc("DELETE", "/studies/" + study, null);
        }
        assertEquals(List.of(), wrong, units.size() + " zoo units pushed by Orthanc");
    }

    /** The study's SEG series in Orthanc, once the node has delivered it. */
    private JsonNode awaitSegSeries(String study, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode series = null;
        while (System.nanoTime() < deadline) {
            series = JSON.readTree(orthanc("GET", "/studies/" + study + "/series", null));
            for (JsonNode s : series) {
                if ("SEG".equals(s.path("MainDicomTags").path("Modality").asText())) {
                    return s;
                }
            }
            String jobs = node.get("/api/jobs");
            if (jobs.contains("\"FAILED\"") || jobs.contains("\"SKIPPED\"")) {
                throw new AssertionError("the node's job did not succeed: " + jobs + "\n" + node.tail());
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no SEG series in Orthanc's study after " + timeout + ": " + series + "\njobs: "
                + node.get("/api/jobs") + "\n" + node.tail());
    }

    /** Orthanc's configuration: its own storage, HTTP from loopback only, the node as the one DICOM modality. */
    private void startOrthanc(int httpPort, int dicomPort, int nodePort) throws Exception {
        ObjectNode config = JSON.createObjectNode();
        config.put("Name", "livernode-test-pacs");
        config.put("StorageDirectory", work.resolve("orthanc-storage").toString());
        config.put("IndexDirectory", work.resolve("orthanc-index").toString());
        config.put("HttpPort", httpPort);
        config.put("DicomPort", dicomPort);
        config.put("DicomAet", ORTHANC_AE);
        config.put("RemoteAccessAllowed", false);
        config.put("AuthenticationEnabled", false);
        // Orthanc 1.10 cannot bind its DICOM port to loopback: it accepts stores only from the node's AE on 127.0.0.1.
        config.put("DicomAlwaysAllowStore", false);
        config.put("DicomCheckModalityHost", true);
        config.set("DicomModalities", JSON.createObjectNode().set("livernode",
                JSON.createArrayNode().add("LIVERNODE").add("127.0.0.1").add(nodePort)));
        config.set("Plugins", JSON.createArrayNode());
        config.put("SaveJobs", false);
        config.put("StableAge", 2);
        Path file = work.resolve("orthanc.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
        orthanc = new ProcessBuilder(ORTHANC.toString(), file.toString()).redirectErrorStream(true)
                .redirectOutput(out.resolve("orthanc.log").toFile()).start();
        orthancUrl = "http://127.0.0.1:" + httpPort;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (orthanc("GET", "/system", null).contains("\"DicomAet\"")) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(300);
            }
            assertTrue(orthanc.isAlive(), "Orthanc stopped:\n" + Files.readString(out.resolve("orthanc.log")));
        }
        throw new AssertionError("Orthanc not up in 60 s:\n" + Files.readString(out.resolve("orthanc.log")));
    }

    /** Copies of the bundled real slices with Frame of Reference UID erased (dcmodify), every other byte as scanned. */
    private List<Path> withoutFrameOfReference(Path dir) throws Exception {
        Files.createDirectories(dir);
        List<Path> copies = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("samples/siemens-ct-j2k"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("CT.")).sorted().toList()) {
                Path copy = dir.resolve(f.getFileName());
                Files.copy(f, copy);
                copies.add(copy);
            }
        }
        List<String> command = new ArrayList<>(List.of("dcmodify", "-nb", "-ea", "(0020,0052)"));
        copies.forEach(c -> command.add(c.toString()));
        ExternalTool.Result r = ExternalTool.run(command, 60);
        assertEquals(0, r.exitCode(), "dcmodify: " + r.stdout() + r.stderr());
        return copies;
    }

    private String orthanc(String method, String path, byte[] body) throws IOException, InterruptedException {
        return new String(orthancRequest(method, path, body));
    }

    private byte[] orthancBytes(String path) throws IOException, InterruptedException {
        return orthancRequest("GET", path, null);
    }

    private byte[] orthancRequest(String method, String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(orthancUrl + path)).timeout(Duration.ofSeconds(120));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new AssertionError("Orthanc " + method + " " + path + ": HTTP " + response.statusCode() + " "
                    + new String(response.body()));
        }
        return response.body();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            if (orthanc != null) {
                orthanc.destroy();
                if (!orthanc.waitFor(15, TimeUnit.SECONDS)) {
                    orthanc.destroyForcibly().waitFor();
                }
            }
            if (work != null) {
                TestFiles.deleteTree(work);
            }
        }
    }
}
