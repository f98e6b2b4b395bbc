package org.livernode.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.livernode.config.LivernodeConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The OHIF viewer at {@value #BASE}: its prebuilt files ({@code livernode.viewer.dir}, put there by {@code bin/setup})
 * with the node's own configuration ({@code app-config.js} from the class path: the node's {@code /dicom-web}, router
 * base {@value #BASE}).
 *
 * <p>OHIF's build assumes it is served at {@code /}: its {@code index.html} loads {@code /app.bundle...js}, its
 * webpack runtimes load chunks, workers and WebAssembly from public path {@code "/"}, its CSS loads fonts from
 * {@code url(/...)} and its manifest names {@code /assets/...} icons. These root paths are rewritten as the files are
 * served (once per file, then kept), so the same files work under {@value #BASE}; OHIF itself is not rebuilt. The
 * service worker is left out (it loads Workbox from a CDN and caches stale scripts). A path that is no file is the
 * single-page app's own route (e.g. {@code /viewer/viewer?StudyInstanceUIDs=...} after a reload): a browser
 * navigation (Accept: text/html) gets {@code index.html}, anything else a 404 problem.
 */
@Path(ViewerResource.BASE)
public class ViewerResource {
    public static final String BASE = "/viewer";
    private static final String CONFIG = "app-config.js";
    /** The node's own OHIF configuration, from the class path: read once, it never changes while the node runs. */
    private static final byte[] APP_CONFIG = appConfig();
    private static final String WEBPACK_PUBLIC_PATH = "__webpack_require__.p = \"/\";";
    private static final Pattern ROOT_URL = Pattern.compile("(href|src)=\"/(?!/)");
    private static final Pattern CSS_ROOT_URL = Pattern.compile("url\\(/(?!/)");
    private static final Pattern MANIFEST_ROOT_URL = Pattern.compile("(\"(?:src|start_url|scope)\"\\s*:\\s*\")/(?!/)");
    private static final Pattern SERVICE_WORKER = Pattern.compile("<script[^>]*init-service-worker\\.js\"[^>]*></script>");
    /** Content-hashed names (app.bundle.0f6159c501addfe9.js, 34b1e6b1deb5828e.wasm) never change: cache for long. */
    private static final Pattern HASHED = Pattern.compile("(^|.*[./])[0-9a-f]{16}\\.[a-z0-9]+$");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("map", "application/json"),
            Map.entry("wasm", "application/wasm"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"), Map.entry("woff2", "font/woff2"), Map.entry("woff", "font/woff"),
            Map.entry("ttf", "font/ttf"), Map.entry("xml", "application/xml"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("onnx", "application/octet-stream"));

    @Inject
    LivernodeConfig config;

    /** Rewritten files by path: their modification time and bytes (null bytes: served as they are). */
    private final Map<java.nio.file.Path, Rewritten> rewritten = new ConcurrentHashMap<>();

    private record Rewritten(FileTime modified, byte[] bytes) {
    }

    @GET
    public Response index(@HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return file("", accept);
    }

    @GET
    @Path("{path:.*}")
    public Response file(@PathParam("path") String path, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        java.nio.file.Path root = config.viewer().dir().toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("index.html"))) {
            throw new ProblemException(503, "urn:livernode:problem:viewer-missing", "Viewer not installed",
                    "the OHIF viewer's files are not in " + root + ": run bin/setup (it fetches them with npm into"
                            + " viewer/ohif), or point livernode.viewer.dir (LIVERNODE_VIEWER_DIR) at an OHIF dist/ folder");
        }
        if (path.equals(CONFIG)) {
            return ok(APP_CONFIG, CONFIG, false);
        }
        java.nio.file.Path file = root.resolve(path.isEmpty() ? "index.html" : path).normalize();
        boolean served = file.startsWith(root) && !file.equals(root) && Files.isRegularFile(file)
                && !path.equals("sw.js") && !path.equals("init-service-worker.js");
        if (!served) {
            if (accept == null || !accept.contains("text/html")) {
                throw new ProblemException(404, "urn:livernode:problem:not-found", "Not found",
                        "the viewer has no file " + path);
            }
            file = root.resolve("index.html");
        }
        String name = file.getFileName().toString();
        byte[] bytes = rewrite(file, name);
        Response.ResponseBuilder r = bytes != null ? Response.ok(bytes) : Response.ok(file);
        return headers(r, name, HASHED.matcher(name).matches());
    }

    private static Response ok(byte[] bytes, String name, boolean immutable) {
        return headers(Response.ok(bytes), name, immutable);
    }

    private static Response headers(Response.ResponseBuilder r, String name, boolean immutable) {
        int dot = name.lastIndexOf('.');
        String type = TYPES.getOrDefault(dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
        return r.type(type).header(HttpHeaders.CACHE_CONTROL, immutable ? "public, max-age=31536000, immutable" : "no-cache").build();
    }

    /** The file's bytes with OHIF's root paths moved under {@value #BASE}, or null when it is served as it is. */
    private byte[] rewrite(java.nio.file.Path file, String name) {
        if (!name.equals("index.html") && !name.equals("manifest.json") && !name.endsWith(".js") && !name.endsWith(".css")) {
            return null;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Rewritten cached = rewritten.get(file);
            if (cached == null || !cached.modified().equals(modified)) {
                cached = new Rewritten(modified, rewriteText(name, Files.readString(file, StandardCharsets.UTF_8)));
                rewritten.put(file, cached);
            }
            return cached.bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] rewriteText(String name, String text) {
        String out;
        if (name.equals("index.html")) {
            out = SERVICE_WORKER.matcher(text).replaceAll("");
            out = out.replace("window.PUBLIC_URL=\"/\"", "window.PUBLIC_URL=\"" + BASE + "/\"");
            out = ROOT_URL.matcher(out).replaceAll("$1=\"" + BASE + "/");
        } else if (name.endsWith(".css") && CSS_ROOT_URL.matcher(text).find()) {
            out = CSS_ROOT_URL.matcher(text).replaceAll("url(" + BASE + "/");
        } else if (name.equals("manifest.json")) {
            out = MANIFEST_ROOT_URL.matcher(text).replaceAll("$1" + BASE + "/");
        } else if (text.contains(WEBPACK_PUBLIC_PATH)) {
            out = text.replace(WEBPACK_PUBLIC_PATH, "__webpack_require__.p = \"" + BASE + "/\";");
        } else {
            return null;
        }
        return out.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] appConfig() {
        try (InputStream in = ViewerResource.class.getResourceAsStream("/viewer/" + CONFIG)) {
            if (in == null) {
                throw new IllegalStateException("viewer/" + CONFIG + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
