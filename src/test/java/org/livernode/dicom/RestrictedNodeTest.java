package org.livernode.dicom;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.testing.Dcmtk;
import org.livernode.store.InstanceStore;
import org.livernode.testing.NodeTestResources;
import org.livernode.testing.TestCtSeries;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.stream.Stream;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node with a disk floor above the free space (C-STORE and STOW-RS refused, nothing written) and an allow-list of callers. */
@QuarkusTest
@TestProfile(RestrictedNodeTest.Restricted.class)
@WithTestResource(NodeTestResources.class)
class RestrictedNodeTest {
    public static class Restricted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livernode.dicom.min-free-disk-mb", Long.toString(Long.MAX_VALUE / (1024 * 1024 * 2)),
                    "livernode.dicom.allowed-callers", "STORESCU@127.0.0.1,ECHOSCU");
        }
    }

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
    void belowTheDiskFloorInstancesAreRefusedOutOfResources() throws Exception {
        TestCtSeries ct = TestCtSeries.write(temp, 2, 32);
        Dcmtk.Result r = Dcmtk.storescu(node.aeTitle(), node.port(), List.of(), ct.files);
        assertEquals(0, r.count("Received Store Response (Success)"), r.output());
        assertTrue(r.count("Refused: OutOfResources") >= 1, r.output()); // storescu stops at the first refusal
        given().get("/api/series/" + ct.seriesUid).then().statusCode(404);
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("livernode_instances_rejected_total{reason=\"out-of-resources\"}"), metrics);
        assertEquals(List.of(), filesIn(store.rejectedDir()), "nothing kept in rejected/ below the floor");
    }

    @Test
    void belowTheDiskFloorStowIsRefusedAndWritesNothing() throws Exception {
        TestCtSeries ct = TestCtSeries.write(temp, 2, 32);
        List<Path> before = written();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Path f : ct.files) {
            body.write("--B\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            body.write(Files.readAllBytes(f));
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write("--B--\r\n".getBytes(StandardCharsets.US_ASCII));
        given().contentType("multipart/related; type=\"application/dicom\"; boundary=B").body(body.toByteArray())
                .post("/dicom-web/studies").then().statusCode(507).contentType("application/problem+json")
                .body("detail", containsString("below the floor"))
                .body("detail", containsString("nothing of this request was stored or kept"));
        assertEquals(before, written(), "no file in incoming/, rejected/ or studies/");
        given().get("/api/series/" + ct.seriesUid).then().statusCode(404);
    }

    /** Every file under the data directory's incoming/, rejected/ and studies/. */
    private List<Path> written() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("incoming", "rejected", "studies")) {
            Path d = store.dataDir().resolve(dir);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.walk(d)) {
                    s.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            }
        }
        return files;
    }

    private static List<Path> filesIn(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void callersOutsideTheAllowListAreRejected() throws Exception {
        Dcmtk.Result allowed = Dcmtk.run("echoscu", "-aet", "ECHOSCU", "-aec", node.aeTitle(), "127.0.0.1", Integer.toString(node.port()));
        assertEquals(0, allowed.exitCode(), allowed.output());
        Dcmtk.Result refused = Dcmtk.run("echoscu", "-aet", "INTRUDER", "-aec", node.aeTitle(), "127.0.0.1", Integer.toString(node.port()));
        assertNotEquals(0, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("Calling AE Title Not Recognized"), refused.output());
        given().get("/q/metrics").then().body(containsString("livernode_associations_total{outcome=\"rejected-calling-ae\"}"));
    }
}
