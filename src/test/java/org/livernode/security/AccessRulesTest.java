package org.livernode.security;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livernode.testing.NodeTestResources;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every route as a caller without credentials (401), with a user lacking the role (403) and with the role
 * (200), on the JVM; the same routes on the packaged node are in {@link PackagedAccessIT}. Refusals are RFC 7807
 * problems.
 */
@QuarkusTest
@WithTestResource(NodeTestResources.class)
class AccessRulesTest {
    static final String VIEWER = "reader-1";
    static final String UPLOADER = "modality-1";
    static final String PASSWORD = "a-long-test-password";
    /** Read routes: patient data, jobs, corrections (QA), metrics, the study list and its QA view, the viewer. */
    static final List<String> READ = List.of("/api/studies", "/api/jobs", "/api/series/1.2.3", "/api/corrections",
            "/dicom-web/studies", "/dicom-web/series", "/dicom-web/instances",
            "/dicom-web/studies/1.2.3/metadata", "/q/metrics", "/", "/index.html", "/studies.js", "/qa.js",
            "/viewer/app-config.js");

    @Inject
    UserStore users;

    @BeforeEach
    void users() {
        users.put(VIEWER, PASSWORD, List.of("viewer"));
        users.put(UPLOADER, PASSWORD, List.of("uploader"));
    }

    @Test
    void withoutCredentialsEveryDataRouteIs401() {
        for (String path : READ) {
            given().auth().none().accept("application/json").get(path).then().statusCode(401)
                    .contentType("application/problem+json").body("status", equalTo(401))
                    .header("WWW-Authenticate", containsString("Basic"));
        }
        given().auth().none().contentType("multipart/related; type=\"application/dicom\"; boundary=x").body("--x--".getBytes())
                .post("/dicom-web/studies").then().statusCode(401).contentType("application/problem+json");
        given().auth().none().post("/api/jobs/1/resend").then().statusCode(401).contentType("application/problem+json");
        given().auth().none().get("/api/users").then().statusCode(401);
    }

    @Test
    void healthProbesAndTheLoginPageStayOpen() {
        given().auth().none().get("/q/health/live").then().statusCode(200);
        // readiness is 200 or 503 (whether another test opened the DICOM port), but answered, not refused
        int ready = given().auth().none().get("/q/health/ready").statusCode();
        assertEquals(true, ready == 200 || ready == 503, "readiness answered " + ready);
        given().auth().none().get("/login.html").then().statusCode(200).body(containsString("j_password"));
    }

    @Test
    void aBrowserWithoutSessionIsSentToTheLoginForm() {
        given().auth().none().redirects().follow(false).accept("text/html,application/xhtml+xml").get("/viewer/viewer?StudyInstanceUIDs=1.2")
                .then().statusCode(302).header("Location", startsWith("/login.html?next=%2Fviewer%2Fviewer"));
    }

    @Test
    void wrongPasswordIs401() {
        given().auth().preemptive().basic(VIEWER, "not-the-password").get("/api/studies").then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("wrong user name or password"));
        given().auth().preemptive().basic("nobody", PASSWORD).get("/api/studies").then().statusCode(401);
    }

    @Test
    void theViewerRoleReadsButNeitherStoresNorResends() {
        for (String path : READ) {
            int status = given().auth().preemptive().basic(VIEWER, PASSWORD).get(path).statusCode();
            // a UID that was never received is a 404 problem, but it got past the access rules
            assertEquals(path.contains("1.2.3") ? 404 : 200, status, path);
        }
        given().auth().preemptive().basic(VIEWER, PASSWORD).post("/api/jobs/1/resend").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString(VIEWER));
        given().auth().preemptive().basic(VIEWER, PASSWORD).contentType("multipart/related; type=\"application/dicom\"; boundary=x")
                .body("--x--".getBytes()).post("/dicom-web/studies").then().statusCode(403).contentType("application/problem+json");
        given().auth().preemptive().basic(VIEWER, PASSWORD).get("/api/users").then().statusCode(403);
    }

    @Test
    void theUploaderRoleStoresButDoesNotRead() {
        given().auth().preemptive().basic(UPLOADER, PASSWORD).get("/api/studies").then().statusCode(403);
        given().auth().preemptive().basic(UPLOADER, PASSWORD).get("/dicom-web/studies").then().statusCode(403);
        // past the access rules: an empty multipart body is the STOW resource's own 4xx, not 401/403
        int status = given().auth().preemptive().basic(UPLOADER, PASSWORD)
                .contentType("multipart/related; type=\"application/dicom\"; boundary=x").body("--x--".getBytes())
                .post("/dicom-web/studies").statusCode();
        assertEquals(true, status != 401 && status != 403, "STOW as uploader answered " + status);
    }

    @Test
    void theAdminResendsAndManagesUsers() {
        given().post("/api/jobs/999999/resend").then().statusCode(404);
        given().contentType("application/json").body("{\"password\":\"another-long-password\",\"roles\":[\"viewer\"]}")
                .put("/api/users/reader-2").then().statusCode(200).body("roles", equalTo(List.of("viewer")));
        given().auth().preemptive().basic("reader-2", "another-long-password").get("/api/studies").then().statusCode(200);
        given().get("/api/users").then().statusCode(200).body("name", org.hamcrest.Matchers.hasItem("reader-2"));
        given().contentType("application/json").body("{\"password\":\"short\",\"roles\":[\"viewer\"]}")
                .put("/api/users/reader-3").then().statusCode(400).body("detail", containsString("at least 12"));
    }

    @Test
    void formLoginGivesASessionCookie() {
        Response login = given().auth().none().contentType("application/x-www-form-urlencoded")
                .formParam("j_username", VIEWER).formParam("j_password", PASSWORD).post("/j_security_check");
        assertEquals(200, login.statusCode(), login.asString());
        String cookie = login.getCookie("quarkus-credential");
        assertNotNull(cookie);
        given().auth().none().cookie("quarkus-credential", cookie).get("/api/studies").then().statusCode(200);
        given().auth().none().contentType("application/x-www-form-urlencoded")
                .formParam("j_username", VIEWER).formParam("j_password", "wrong-password").post("/j_security_check")
                .then().statusCode(401);
    }

    @Test
    void aCrossOriginSimplePostIsRefused() {
        given().header("Origin", "http://evil.example").contentType("text/plain").body("x")
                .post("/api/jobs/999999/resend").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("urn:livernode:problem:cross-site-request"));
        given().header("Sec-Fetch-Site", "cross-site").contentType("text/plain").body("x")
                .post("/api/jobs/999999/resend").then().statusCode(403);
        // the node's own page (same origin) and a script (no Origin) get through to the resource
        given().header("Origin", "http://localhost:" + io.restassured.RestAssured.port).header("Sec-Fetch-Site", "same-origin")
                .post("/api/jobs/999999/resend").then().statusCode(404);
    }

    @Test
    void responsesCarrySecurityHeaders() {
        given().auth().none().get("/q/health/live").then().header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY").header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
    }
}
