package org.livernode.security;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.livernode.testing.PackagedNode;
import org.livernode.testing.TestFiles;
import org.livernode.testing.TestUser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access rules of {@link AccessRulesTest} on the packaged node ({@code bin/livernode serve}, started with its
 * defaults but for ports, data directory and the admin's password): every read route without credentials 401, with
 * a user lacking the role 403, with the role 200 (404 for a UID never received: past the rules); STOW, resend and
 * user management the same; the health probe open.
 */
class PackagedAccessIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String STOW_TYPE = "multipart/related; type=\"application/dicom\"; boundary=x";

    private final Path root = Path.of("").toAbsolutePath();
    private PackagedNode node;
    private Path data;

    @Test
    void everyRouteAnswersByRoleOnThePackagedNode() throws Exception {
        data = Files.createTempDirectory("livernode-access-");
        Path logs = Files.createDirectories(root.resolve("target/packaged-access-it"));
        node = PackagedNode.start("node", root, logs.resolve("node.log"), Map.of("LIVERNODE_DATA_DIR", data.toString(),
                "LIVERNODE_WORKER_ENABLED", "false"));
        node.awaitReady(Duration.ofSeconds(120));
        String admin = TestUser.AUTHORIZATION;
        for (String[] user : new String[][]{{AccessRulesTest.VIEWER, "viewer"}, {AccessRulesTest.UPLOADER, "uploader"}}) {
            HttpResponse<String> made = send("PUT", "/api/users/" + user[0], admin, "application/json",
                    "{\"password\":\"" + AccessRulesTest.PASSWORD + "\",\"roles\":[\"" + user[1] + "\"]}");
            assertEquals(200, made.statusCode(), made.body());
        }
        String viewer = TestUser.basic(AccessRulesTest.VIEWER, AccessRulesTest.PASSWORD);
        String uploader = TestUser.basic(AccessRulesTest.UPLOADER, AccessRulesTest.PASSWORD);

        for (String path : AccessRulesTest.READ) {
            HttpResponse<String> none = send("GET", path, null, null, null);
            assertEquals(401, none.statusCode(), path);
            assertTrue(none.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), path);
            assertEquals(path.contains("1.2.3") ? 404 : 200, send("GET", path, viewer, null, null).statusCode(), path);
            assertEquals(403, send("GET", path, uploader, null, null).statusCode(), path);
        }
        assertEquals(401, send("POST", "/dicom-web/studies", null, STOW_TYPE, "--x--").statusCode());
        assertEquals(403, send("POST", "/dicom-web/studies", viewer, STOW_TYPE, "--x--").statusCode());
        int stow = send("POST", "/dicom-web/studies", uploader, STOW_TYPE, "--x--").statusCode();
        assertTrue(stow != 401 && stow != 403, "STOW as uploader answered " + stow);
        assertEquals(401, send("POST", "/api/jobs/1/resend", null, null, null).statusCode());
        assertEquals(403, send("POST", "/api/jobs/1/resend", viewer, null, null).statusCode());
        assertEquals(404, send("POST", "/api/jobs/1/resend", admin, null, null).statusCode());
        assertEquals(403, send("GET", "/api/users", viewer, null, null).statusCode());
        assertEquals(200, send("GET", "/api/users", admin, null, null).statusCode());
        assertEquals(200, send("GET", "/q/health/live", null, null, null).statusCode());
    }

    private HttpResponse<String> send(String method, String path, String authorization, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "*/*")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
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
