package org.livernode.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.DcmtkStoreScp;
import org.livernode.dicom.DicomNode;
import org.livernode.pipeline.SegDelivery;
import org.livernode.testing.AuditLines;
import org.livernode.testing.Dcmtk;
import org.livernode.testing.NodeTestResources;
import org.livernode.testing.TestCtSeries;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.livernode.testing.AuditLines.action;
import static org.livernode.testing.AuditLines.code;
import static org.livernode.testing.AuditLines.patient;
import static org.livernode.testing.AuditLines.study;
import static org.livernode.testing.AuditLines.userOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit trail: a receive, a query, a retrieval, an export, a resend, a failed login and refused callers (DICOM
 * allow-list, STOW-RS from a host it does not name) each write one event with the right fields.
 */
@QuarkusTest
@TestProfile(AuditTrailTest.AllowListed.class)
@WithTestResource(NodeTestResources.class)
class AuditTrailTest {
    /** Only the AE title STORESCU (from any host) may send; no entry names an HTTP client's host. */
    public static class AllowListed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livernode.dicom.allowed-callers", "STORESCU");
        }
    }

    @Inject
    DicomNode node;
    @Inject
    AuditTrail audit;
    @Inject
    SegDelivery delivery;

    @TempDir
    Path temp;

    @BeforeEach
    void startNode() {
        node.start();
    }

    @Test
    void receiveQueryRetrievalAndExportAreEachOneEvent() throws Exception {
        TestCtSeries ct = TestCtSeries.write(temp, 2, 32);
        assertEquals(2, Dcmtk.storescu(node.aeTitle(), node.port(), List.of(), ct.files).count("(Success)"));
        List<JsonNode> received = events(e -> code(e).equals("110104") && action(e).equals("C") && study(e).equals(ct.studyUid));
        assertEquals(2, received.size(), "one event per instance received");
        JsonNode source = received.get(0).path("ActiveParticipant").get(0);
        assertEquals("STORESCU", source.path("UserID").asText());
        assertEquals("127.0.0.1", source.path("NetworkAccessPointID").asText());
        assertEquals("110153", source.path("RoleIDCode").path("csd-code").asText());
        assertEquals("TEST-1", patient(received.get(0)));

        given().queryParam("PatientID", "TEST-1").get("/dicom-web/studies").then().statusCode(200);
        JsonNode query = single(e -> code(e).equals("110112") && text(e).contains("PatientID=TEST-1"));
        assertEquals("admin", query.path("ActiveParticipant").get(0).path("UserID").asText());
        assertEquals("24", query.path("ParticipantObjectIdentification").get(0).path("ParticipantObjectTypeCodeRole").asText());

        given().get("/dicom-web/studies/" + ct.studyUid + "/metadata").then().statusCode(200);
        JsonNode retrieval = single(e -> code(e).equals("110104") && action(e).equals("R") && study(e).equals(ct.studyUid));
        assertEquals("admin", retrieval.path("ActiveParticipant").get(1).path("UserID").asText());
        assertEquals("110152", retrieval.path("ActiveParticipant").get(1).path("RoleIDCode").path("csd-code").asText());
        assertEquals("TEST-1", patient(retrieval));

        try (DcmtkStoreScp pacs = new DcmtkStoreScp("AUDITPACS", DcmtkStoreScp.freePort(), Files.createDirectories(temp.resolve("pacs"))).start()) {
            assertTrue(delivery.send(pacs.remoteAe(), List.of(ct.files.get(0))).allDelivered());
            JsonNode export = single(e -> code(e).equals("110106"));
            JsonNode destination = export.path("ActiveParticipant").get(1);
            assertEquals("AUDITPACS", destination.path("UserID").asText());
            assertEquals("127.0.0.1:" + pacs.port, destination.path("NetworkAccessPointID").asText());
            assertEquals("0", export.path("EventIdentification").path("EventOutcomeIndicator").asText());
            assertEquals(ct.studyUid, study(export));
            assertEquals("TEST-1", patient(export));
        }
    }

    @Test
    void aResendIsAuditedWithItsUserAndOutcome() throws Exception {
        given().post("/api/jobs/424242/resend").then().statusCode(404);
        JsonNode resend = single(e -> code(e).equals("110113") && text(e).contains("resend of job 424242"));
        assertEquals("110132", resend.path("EventIdentification").path("EventTypeCode").get(0).path("csd-code").asText());
        assertEquals("admin", userOf(resend));
        assertEquals("4", resend.path("EventIdentification").path("EventOutcomeIndicator").asText());
    }

    @Test
    void aFailedLoginIsOneEvent() throws Exception {
        given().auth().preemptive().basic("mallory", "not-a-password-at-all").get("/api/studies").then().statusCode(401);
        JsonNode failed = single(e -> code(e).equals("110114") && userOf(e).equals("mallory"));
        assertEquals("4", failed.path("EventIdentification").path("EventOutcomeIndicator").asText());
        assertEquals("110122", failed.path("EventIdentification").path("EventTypeCode").get(0).path("csd-code").asText());
        assertEquals("127.0.0.1", failed.path("ActiveParticipant").get(0).path("NetworkAccessPointID").asText());
    }

    @Test
    void refusedCallersAreAudited() throws Exception {
        TestCtSeries ct = TestCtSeries.write(temp, 1, 32);
        Dcmtk.Result r = Dcmtk.run(List.of("storescu", "-aet", "INTRUDER", "-aec", node.aeTitle(), "127.0.0.1",
                Integer.toString(node.port()), ct.files.get(0).toString()));
        assertTrue(r.exitCode() != 0 || r.output().contains("Rejected"), r.output());
        JsonNode dicom = single(e -> code(e).equals("110113") && userOf(e).equals("INTRUDER"));
        assertTrue(text(dicom).contains("allowed-callers"), dicom.toString());

        // STOW-RS obeys the same list: no AET@host entry names this client's host, so the upload is refused.
        given().contentType("multipart/related; type=\"application/dicom\"; boundary=x").body("--x--".getBytes())
                .post("/dicom-web/studies").then().statusCode(403)
                .contentType("application/problem+json");
        JsonNode stow = single(e -> code(e).equals("110113") && text(e).contains("STOW-RS"));
        assertEquals("admin", userOf(stow));
    }

    private List<JsonNode> events(Predicate<JsonNode> which) throws Exception {
        return AuditLines.events(audit.file(), which);
    }

    private JsonNode single(Predicate<JsonNode> which) throws Exception {
        List<JsonNode> found = events(which);
        assertEquals(1, found.size(), "events: " + found);
        return found.get(0);
    }

    private static String text(JsonNode e) {
        return e.toString();
    }
}
