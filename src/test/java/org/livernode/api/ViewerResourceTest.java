package org.livernode.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livernode.testing.NodeTestResources;
import org.livernode.testing.TestFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * /viewer over a small stand-in for OHIF's dist/ (the real one is exercised by ViewerIT): root paths moved under
 * /viewer, the node's own app-config.js, the single-page app's routes, caching, and the problems for a missing file
 * and for a missing viewer.
 */
@QuarkusTest
@TestProfile(ViewerResourceTest.StandInViewer.class)
@WithTestResource(NodeTestResources.class)
class ViewerResourceTest {
    static final Path DIST = Path.of("target/viewer-resource-test/dist");

    public static class StandInViewer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livernode.viewer.dir", DIST.toString());
        }
    }

    @BeforeEach
    void writeStandInDist() throws IOException {
        Files.createDirectories(DIST.resolve("assets"));
        Files.writeString(DIST.resolve("index.html"), "<!doctype html><html><head><script>window.PUBLIC_URL=\"/\"</script>"
                + "<link rel=\"manifest\" href=\"/manifest.json\"><script src=\"/app-config.js\"></script>"
                + "<script rel=\"preload\" as=\"script\" type=\"module\" src=\"/init-service-worker.js\"></script>"
                + "<script defer src=\"/app.bundle.0f6159c501addfe9.js\"></script><link href=\"/app.bundle.css\" rel=\"stylesheet\">"
                + "<a href=\"//example.org/x\">x</a></head><body></body></html>");
        Files.writeString(DIST.resolve("app.bundle.0f6159c501addfe9.js"),
                "// webpack/runtime/public_path\n(() => {\n__webpack_require__.p = \"/\";\n})();\n");
        Files.writeString(DIST.resolve("app.bundle.css"), "@font-face{src:url(/a34f9d1faa5f3315.woff2)}b{background:url(//cdn/x.png)}");
        Files.writeString(DIST.resolve("manifest.json"), "{\"start_url\": \"/\", \"icons\": [{\"src\": \"/assets/a.png\"}]}");
        Files.writeString(DIST.resolve("app-config.js"), "window.config = { routerBasename: null };");
        Files.writeString(DIST.resolve("sw.js"), "importScripts('https://cdn.example/workbox-sw.js');");
        Files.write(DIST.resolve("34b1e6b1deb5828e.wasm"), new byte[]{0, 'a', 's', 'm', 1, 0, 0, 0});
    }

    @Test
    void indexHtmlLoadsEverythingFromUnderViewerWithoutTheServiceWorker() {
        given().get("/viewer/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Cache-Control", "no-cache")
                .body(containsString("window.PUBLIC_URL=\"/viewer/\""))
                .body(containsString("src=\"/viewer/app.bundle.0f6159c501addfe9.js\""))
                .body(containsString("href=\"/viewer/app.bundle.css\""))
                .body(containsString("href=\"/viewer/manifest.json\""))
                .body(containsString("href=\"//example.org/x\""))
                .body(not(containsString("init-service-worker")));
        given().get("/viewer").then().statusCode(200).body(containsString("src=\"/viewer/app.bundle."));
    }

    @Test
    void scriptsStylesAndManifestLoadWhatTheyLoadFromUnderViewer() {
        given().get("/viewer/app.bundle.0f6159c501addfe9.js").then().statusCode(200)
                .contentType(containsString("text/javascript"))
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .body(containsString("__webpack_require__.p = \"/viewer/\";"));
        given().get("/viewer/app.bundle.css").then().statusCode(200).contentType(containsString("text/css"))
                .body(equalTo("@font-face{src:url(/viewer/a34f9d1faa5f3315.woff2)}b{background:url(//cdn/x.png)}"));
        given().get("/viewer/manifest.json").then().statusCode(200)
                .body(equalTo("{\"start_url\": \"/viewer/\", \"icons\": [{\"src\": \"/viewer/assets/a.png\"}]}"));
        given().get("/viewer/34b1e6b1deb5828e.wasm").then().statusCode(200).contentType("application/wasm");
    }

    @Test
    void appConfigIsTheNodesOwnPointingAtItsDicomWeb() {
        given().get("/viewer/app-config.js").then().statusCode(200).header("Cache-Control", "no-cache")
                .body(containsString("routerBasename: '/viewer'"))
                .body(containsString("qidoRoot: window.location.origin + '/dicom-web'"))
                .body(containsString("thumbnailRendering: 'wadors'"));
    }

    @Test
    void routesOfTheAppAreItsIndexForTheBrowserAndProblemsOtherwise() {
        given().accept("text/html,application/xhtml+xml,*/*;q=0.8").get("/viewer/viewer?StudyInstanceUIDs=1.2.3")
                .then().statusCode(200).body(containsString("/viewer/app.bundle.0f6159c501addfe9.js"));
        given().accept("*/*").get("/viewer/no-such-chunk.js").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("no-such-chunk.js"));
        given().accept("*/*").get("/viewer/sw.js").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().accept("*/*").urlEncodingEnabled(false).get("/viewer/..%2F..%2Fpom.xml").then().statusCode(404);
    }

    @Test
    void theStudyListIsTheNodesHomePage() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<script src=\"/studies.js\"></script>"));
        given().get("/studies.js").then().statusCode(200)
                .body(containsString("/viewer/viewer?StudyInstanceUIDs="))
                .body(containsString("/api/studies"))
                .body(containsString("liverVolume"));
    }

    @Test
    void aMissingViewerIsAProblemSayingToRunSetup() throws IOException {
        TestFiles.deleteTree(DIST);
        given().accept("text/html").get("/viewer/").then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                .body("title", equalTo("Viewer not installed"))
                .body("detail", containsString("run bin/setup"))
                .body("detail", containsString(DIST.toAbsolutePath().toString()));
    }
}
