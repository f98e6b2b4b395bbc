package org.livernode.testing;

import org.livernode.dicom.DcmtkStoreScp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged node ({@code bin/livernode serve} on {@code target/quarkus-app}) on free loopback ports, for the
 * integration tests: started with the given environment, ready once {@code /q/health/ready} answers and C-ECHO
 * succeeds, stopped with SIGTERM (SIGKILL after 15 s).
 */
public final class PackagedNode implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int dicomPort;
    private final int httpPort;
    private final Path log;

    private PackagedNode(String name, Process process, int dicomPort, int httpPort, Path log) {
        this.name = name;
        this.process = process;
        this.dicomPort = dicomPort;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * Starts {@code ROOT/bin/livernode serve} with its log in {@code log}, HTTP and DICOM on free ports of 127.0.0.1
     * (unless {@code env} sets LIVERNODE_DICOM_PORT / QUARKUS_HTTP_PORT) and {@code env} on top (e.g.
     * LIVERNODE_DATA_DIR, LIVERNODE_SERIES_QUIET_PERIOD).
     */
    public static PackagedNode start(String name, Path root, Path log, Map<String, String> env) throws IOException {
        Path jar = root.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run this test with mvn verify (package builds it)");
        }
        // Ports given in env are kept (a node restarted on the same ports is the same node id to the job queue).
        int dicomPort = env.containsKey("LIVERNODE_DICOM_PORT") ? Integer.parseInt(env.get("LIVERNODE_DICOM_PORT"))
                : DcmtkStoreScp.freePort();
        int httpPort = env.containsKey("QUARKUS_HTTP_PORT") ? Integer.parseInt(env.get("QUARKUS_HTTP_PORT"))
                : DcmtkStoreScp.freePort();
        ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/livernode").toString(), "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> e = pb.environment();
        e.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        e.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        e.put("LIVERNODE_DICOM_PORT", Integer.toString(dicomPort));
        e.put("LIVERNODE_DICOM_BIND_ADDRESS", "127.0.0.1");
        e.put("LIVERNODE_DICOM_MIN_FREE_DISK_MB", "1");
        e.remove("LIVERNODE_HOME");
        e.put("LIVERNODE_SECURITY_ADMIN_PASSWORD", TestUser.PASSWORD);
        e.putAll(env);
        return new PackagedNode(name, pb.start(), dicomPort, httpPort, log);
    }

    public Process process() {
        return process;
    }

    public int dicomPort() {
        return dicomPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** GET {@code path} with this Accept header as the test user (every role), whatever the status. */
    public HttpResponse<String> request(String path, String accept) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Accept", accept)
                .header("Authorization", TestUser.AUTHORIZATION)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET {@code path}; anything but 200 is an IOException naming the node, the status and the body. */
    public String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = request(path, "*/*");
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " on " + name + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** Waits until the node answers {@code /q/health/ready} and C-ECHO; fails with its log's tail otherwise. */
    public void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                get("/q/health/ready");
                if (Dcmtk.run("echoscu", "-aec", "LIVERNODE", "127.0.0.1", Integer.toString(dicomPort)).exitCode() == 0) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError(name + " not ready within " + timeout + ":\n" + tail());
    }

    /** The last 40 lines of the node's log. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
