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
import org.livernode.testing.NodeTestResources;
import org.livernode.testing.TestCtSeries;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node with a disk floor above the free space and an allow-list of callers. */
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
