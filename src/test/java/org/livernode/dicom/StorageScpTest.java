package org.livernode.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.store.InstanceStore;
import org.livernode.testing.Dcmtk;
import org.livernode.testing.NodeTestResources;
import org.livernode.testing.SiemensJ2k;
import org.livernode.testing.TestCtSeries;
import org.livernode.testing.TestStoreScu;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SCP against real peers (dcmtk's echoscu, storescu, dcmsend; PixelMed for what dcmtk will not send). */
@QuarkusTest
@WithTestResource(NodeTestResources.class)
class StorageScpTest {
    static final String J2K_LOSSLESS = "1.2.840.10008.1.2.4.90";

    @Inject
    DicomNode node;
    @Inject
    InstanceStore store;

    @TempDir
    Path temp;

    @BeforeEach
    void startNode() {
        node.start();
    }

    @Test
    void echoIsAnswered() throws Exception {
        Dcmtk.Result r = Dcmtk.run("echoscu", "-v", "-aec", node.aeTitle(), "127.0.0.1", Integer.toString(node.port()));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("Received Echo Response (Success)"), r.output());
    }

    @Test
    void releasedAssociationsFreeTheirSlots() throws Exception {
        // More associations one after the other than livernode.dicom.max-associations (16).
        for (int i = 0; i < 20; i++) {
            Dcmtk.Result r = Dcmtk.run("echoscu", "-aec", node.aeTitle(), "127.0.0.1", Integer.toString(node.port()));
            assertEquals(0, r.exitCode(), "echo " + i + ": " + r.output());
        }
    }

    @Test
    void wrongCalledAeTitleIsRejected() throws Exception {
        Dcmtk.Result r = Dcmtk.run("echoscu", "-aec", "NOT_US", "127.0.0.1", Integer.toString(node.port()));
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("Called AE Title Not Recognized"), r.output());
    }

    @Test
    void hundredSliceSeriesIsStoredIndexedAndCompletedIntoOneJob() throws Exception {
        TestCtSeries ct = TestCtSeries.write(temp.resolve("ct"), 100, 64);
        long t0 = System.nanoTime();
        Dcmtk.Result r = Dcmtk.storescu(node.aeTitle(), node.port(), List.of(), ct.files);
        System.out.printf("storescu: 100 slices of 64x64 in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(100, r.count("Received Store Response (Success)"), r.output());

        JsonPath series = awaitSeries(ct.seriesUid, s -> "QUEUED".equals(s.getString("jobState")));
        assertEquals(100, series.getInt("instanceCount"));
        assertEquals(100, series.getList("instances").size());
        assertEquals(1, series.getList("jobs").size());
        assertEquals("STORESCU", series.getString("instances[0].callingAeTitle"));
        assertEquals("1.2.840.10008.1.2.1", series.getString("instances[0].transferSyntaxUid"));
        for (int k = 0; k < 100; k++) {
            Path file = store.pathOf(ct.studyUid, ct.seriesUid, ct.sopInstanceUids.get(k));
            assertTrue(Files.size(file) > 64 * 64 * 2, file.toString());
        }
        Thread.sleep(1000); // several more completion checks: still exactly one job
        assertEquals(1, queuedJobsOf(ct.seriesUid));

        // Resending an instance is idempotent for the index; as a late instance it retires the queued job
        // and the series is queued again once quiet.
        Dcmtk.Result again = Dcmtk.storescu(node.aeTitle(), node.port(), List.of(), ct.files.subList(0, 1));
        assertEquals(1, again.count("Received Store Response (Success)"), again.output());
        JsonPath requeued = awaitSeries(ct.seriesUid, s -> s.getList("jobs").size() == 2 && "QUEUED".equals(s.getString("jobState")));
        assertEquals(100, requeued.getInt("instanceCount"));
        assertEquals("SKIPPED", requeued.getString("jobs[1].state"));
        assertEquals(1, queuedJobsOf(ct.seriesUid));
    }

    @Test
    void severalAssociationsAtOnce() throws Exception {
        List<TestCtSeries> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.add(TestCtSeries.write(temp.resolve("s" + i), 20, 64));
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Dcmtk.Result>> runs = new ArrayList<>();
            for (TestCtSeries s : all) {
                runs.add(pool.submit(() -> Dcmtk.storescu(node.aeTitle(), node.port(), List.of(), s.files)));
            }
            for (Future<Dcmtk.Result> f : runs) {
                assertEquals(20, f.get().count("Received Store Response (Success)"), f.get().output());
            }
        } finally {
            pool.shutdown();
        }
        for (TestCtSeries s : all) {
            assertEquals(20, awaitSeries(s.seriesUid, j -> j.getInt("instanceCount") == 20).getInt("instanceCount"));
        }
    }

    @Test
    void nonCtSopClassIsRejectedAtNegotiation() throws Exception {
        TestCtSeries mr = TestCtSeries.write(temp.resolve("mr"), 1, 32, "1.2.840.10008.5.1.4.1.1.4", "MR");
        Dcmtk.Result r = Dcmtk.storescu(node.aeTitle(), node.port(), List.of(), mr.files);
        assertFalse(r.output().contains("Received Store Response (Success)"), r.output());
        assertTrue(r.output().contains("No Acceptable Presentation Contexts")
                || r.output().contains("No presentation context"), r.output());
        given().get("/api/series/" + mr.seriesUid).then().statusCode(404);
    }

    @Test
    void siemensJ2kFilesWithEmptyUidsAreRefusedWithAFailureStatus() throws Exception {
        List<Path> files = SiemensJ2k.originals();
        int rejectedBefore = countFiles(store.dataDir().resolve("rejected"));
        for (Path file : files.subList(0, 3)) {
            AttributeList meta = metaOf(file);
            String sopClass = Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.MediaStorageSOPClassUID);
            String sop = Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.MediaStorageSOPInstanceUID);
            try (TestStoreScu scu = new TestStoreScu(node.port(), node.aeTitle(), sopClass, J2K_LOSSLESS)) {
                TestStoreScu.Response response = scu.store(sopClass, sop, TestStoreScu.dataSetOf(file));
                assertEquals(DimseStatus.CANNOT_UNDERSTAND, response.status(), "status for " + file.getFileName());
                assertTrue(response.errorComment().contains("missing or empty"), response.errorComment());
            }
        }
        assertEquals(rejectedBefore + 3, countFiles(store.dataDir().resolve("rejected")), "refused files are kept");
        try (Stream<Path> studies = Files.exists(store.dataDir().resolve("studies"))
                ? Files.walk(store.dataDir().resolve("studies")) : Stream.empty()) {
            assertTrue(studies.noneMatch(p -> p.getFileName().toString().startsWith("1.3.12.2.1107.5.1.4.60064")));
        }
        given().get("/api/jobs").then().statusCode(200);
        echoIsAnswered();
    }

    @Test
    void siemensJ2kFilesWithUidsFilledInAreStored() throws Exception {
        List<Path> originals = SiemensJ2k.originals();
        SiemensJ2k.Series fixed = SiemensJ2k.withUids(originals, temp);
        List<String> cmd = new ArrayList<>(List.of("dcmsend", "-v", "-aet", "DCMSEND", "-aec", node.aeTitle(),
                "127.0.0.1", Integer.toString(node.port())));
        fixed.files().forEach(f -> cmd.add(f.toString()));
        Dcmtk.Result r = Dcmtk.run(cmd);
        assertEquals(0, r.exitCode(), r.output());
        JsonPath s = awaitSeries(fixed.seriesUid(), j -> "QUEUED".equals(j.getString("jobState")));
        assertEquals(originals.size(), s.getInt("instanceCount"));
        assertEquals(J2K_LOSSLESS, s.getString("instances[0].transferSyntaxUid"));
    }

    @Test
    void truncatedDataSetIsRefusedAndNotIndexed() throws Exception {
        TestCtSeries ct = TestCtSeries.write(temp.resolve("cut"), 1, 64);
        byte[] data = TestStoreScu.dataSetOf(ct.files.get(0));
        byte[] half = java.util.Arrays.copyOf(data, (data.length / 2) & ~1); // even: PDV lengths are even
        try (TestStoreScu scu = new TestStoreScu(node.port(), node.aeTitle(), TestCtSeries.CT_IMAGE_STORAGE, "1.2.840.10008.1.2.1")) {
            TestStoreScu.Response response = scu.store(TestCtSeries.CT_IMAGE_STORAGE, ct.sopInstanceUids.get(0), half);
            assertEquals(DimseStatus.CANNOT_UNDERSTAND, response.status());
            assertTrue(response.errorComment().startsWith("data set cannot be read"), response.errorComment());
        }
        given().get("/api/series/" + ct.seriesUid).then().statusCode(404);
    }

    @Test
    void associationAbortedMidInstanceLeavesNoPartialInstance() throws Exception {
        TestCtSeries ct = TestCtSeries.write(temp.resolve("abort"), 2, 256);
        byte[] data = TestStoreScu.dataSetOf(ct.files.get(1));
        // The first instance arrives whole, the second is cut by an A-ABORT after 64 KiB.
        TestStoreScu scu = new TestStoreScu(node.port(), node.aeTitle(), TestCtSeries.CT_IMAGE_STORAGE, "1.2.840.10008.1.2.1");
        assertEquals(0, scu.store(TestCtSeries.CT_IMAGE_STORAGE, ct.sopInstanceUids.get(0), TestStoreScu.dataSetOf(ct.files.get(0))).status());
        scu.storeHalfThenAbort(TestCtSeries.CT_IMAGE_STORAGE, ct.sopInstanceUids.get(1), data, 64 * 1024);
        Thread.sleep(500);
        JsonPath s = awaitSeries(ct.seriesUid, j -> j.getInt("instanceCount") == 1);
        assertEquals(ct.sopInstanceUids.get(0), s.getString("instances[0].sopInstanceUid"));
        assertFalse(Files.exists(store.pathOf(ct.studyUid, ct.seriesUid, ct.sopInstanceUids.get(1))));
        try (Stream<Path> incoming = Files.list(store.incomingDir())) {
            assertEquals(0, incoming.filter(p -> p.getFileName().toString().startsWith("assoc")).count(),
                    "no partial file left in incoming/");
        }
        echoIsAnswered();
    }

    @Test
    void restartKeepsInstancesAndQueuedJobs() throws Exception {
        TestCtSeries ct = TestCtSeries.write(temp.resolve("restart"), 10, 64);
        assertEquals(10, Dcmtk.storescu(node.aeTitle(), node.port(), List.of(), ct.files).count("(Success)"));
        JsonPath before = awaitSeries(ct.seriesUid, j -> "QUEUED".equals(j.getString("jobState")));
        int oldPort = node.port();

        node.stop();
        assertFalse(node.isListening());
        Dcmtk.Result refused = Dcmtk.run("echoscu", "-aec", node.aeTitle(), "127.0.0.1", Integer.toString(oldPort));
        assertNotEquals(0, refused.exitCode(), "a stopped node does not answer");
        node.start();

        JsonPath after = given().get("/api/series/" + ct.seriesUid).then().statusCode(200).extract().jsonPath();
        assertEquals(10, after.getInt("instanceCount"));
        assertEquals("QUEUED", after.getString("jobState"));
        assertEquals(before.getLong("job.id"), after.getLong("job.id"));
        for (String sop : ct.sopInstanceUids) {
            assertTrue(Files.exists(store.pathOf(ct.studyUid, ct.seriesUid, sop)));
        }
        echoIsAnswered();
    }

    static JsonPath awaitSeries(String seriesUid, Predicate<JsonPath> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        JsonPath last = null;
        while (System.currentTimeMillis() < deadline) {
            var response = given().get("/api/series/" + seriesUid);
            if (response.statusCode() == 200) {
                last = response.jsonPath();
                if (condition.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("series " + seriesUid + " did not reach the expected state; last seen: "
                + (last == null ? "404" : last.prettify()));
    }

    static int queuedJobsOf(String seriesUid) {
        List<String> series = given().queryParam("state", "QUEUED").get("/api/jobs").then().statusCode(200)
                .extract().jsonPath().getList("seriesUid");
        return (int) series.stream().filter(seriesUid::equals).count();
    }

    private static AttributeList metaOf(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile(), TagFromName.PatientName);
        return list;
    }

    private static int countFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.count();
        }
    }
}
