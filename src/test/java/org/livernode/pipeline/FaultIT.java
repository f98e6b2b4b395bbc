package org.livernode.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.livernode.dicom.DcmtkStoreScp;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.testing.Dcmtk;
import org.livernode.testing.NodeTestResources;
import org.livernode.testing.PackagedNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a packaged node ({@code bin/livernode serve}, loopback only) at the points where a crash used to lose or
 * duplicate data, then a restart on the same data, counting what a user would: every instance storescu got Success
 * for is indexed, every series has one job, and the dcmtk storescp playing the PACS holds exactly one SEG per series.
 * <ol>
 *     <li>killed right after storescu's last Success (before the series is complete);</li>
 *     <li>killed after the SEG reached the PACS but before the job was marked DONE: the PACS ({@code storescp
 *     --sleep-after}) holds the association open after its C-STORE-RSP, so the node is still in its delivery
 *     attempt when the SEG file appears, and is killed then.</li>
 * </ol>
 * Runs on H2 and on PostgreSQL (a fresh database). {@code mvn verify -Dit.test=FaultIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false} (package builds {@code target/quarkus-app}).
 */
class FaultIT {
    private static final int SLICES = 6;
    /** How long the PACS holds the association after storing: the window the second kill lands in. */
    private static final int PACS_HOLDS_SECONDS = 10;
    private static final Duration READY = Duration.ofSeconds(180);
    private static final Duration JOB = Duration.ofSeconds(240);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root = Path.of("").toAbsolutePath();

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void killedAtEachPointTheRestartedNodeLosesNothingAndSendsOneSegPerSeries(String db) throws Exception {
        Path work = Files.createTempDirectory("livernode-fault-" + db + "-");
        Path logs = Files.createDirectories(root.resolve("target/fault-it"));
        Path data = Files.createDirectories(work.resolve("data"));
        String database = db.equals("postgresql") ? NodeTestResources.createDatabase("livernode_fault_") : null;
        try (DcmtkStoreScp pacs = new DcmtkStoreScp("PACS", DcmtkStoreScp.freePort(),
                Files.createDirectories(work.resolve("pacs"))).start("--sleep-after", Integer.toString(PACS_HOLDS_SECONDS))) {
            Map<String, String> env = environment(data, database, pacs);

            // 1. kill -9 right after storescu's last Success.
            SyntheticCtSeries first = series(work, 1);
            PackagedNode node = start(db + "-1", logs, env);
            Dcmtk.Result sent = Dcmtk.storescu("LIVERNODE", node.dicomPort(), List.of(), first.files());
            int acked = sent.count("Received Store Response (Success)");
            kill(node);
            assertEquals(SLICES, acked, sent.output());
            long t0 = System.nanoTime();
            node = start(db + "-2", logs, env);
            System.out.printf("fault %s: killed after %d acknowledged instances; serving again %d ms after the restart%n",
                    db, acked, (System.nanoTime() - t0) / 1_000_000);
            JsonNode job = awaitFinished(node, first.seriesInstanceUid());
            System.out.printf("fault %s: the series segmented and its SEG delivered %d ms after the restart%n", db,
                    (System.nanoTime() - t0) / 1_000_000);
            assertEquals(acked, JSON.readTree(node.get("/api/series/" + first.seriesInstanceUid())).path("instanceCount")
                    .asInt(), "every acknowledged instance indexed after the restart");
            assertEquals("DONE", job.path("state").asText(), job.toString());

            // 2. kill -9 once the SEG is at the PACS, before the job is DONE.
            SyntheticCtSeries second = series(work, 2);
            int segsBefore = files(pacs.directory).size();
            Dcmtk.Result sent2 = Dcmtk.storescu("LIVERNODE", node.dicomPort(), List.of(), second.files());
            assertEquals(SLICES, sent2.count("Received Store Response (Success)"), sent2.output());
            awaitFiles(pacs.directory, segsBefore + 1, node);
            kill(node);
            t0 = System.nanoTime();
            node = start(db + "-3", logs, env);
            System.out.printf("fault %s: killed with the SEG at the PACS; serving again %d ms after the restart%n", db,
                    (System.nanoTime() - t0) / 1_000_000);
            JsonNode job2 = awaitFinished(node, second.seriesInstanceUid());
            System.out.printf("fault %s: the SEG sent again and the job DONE %d ms after the restart%n", db,
                    (System.nanoTime() - t0) / 1_000_000);
            assertEquals("DONE", job2.path("state").asText(), job2.toString());
            assertEquals(2, job2.path("deliveryAttempts").asInt(), "the kill came before DONE, the restart sent again: " + job2);

            // Counted over both cases: one job per series, one SEG per series at the PACS, the job's own.
            JsonNode jobs = JSON.readTree(node.get("/api/jobs"));
            for (SyntheticCtSeries s : List.of(first, second)) {
                List<JsonNode> ofSeries = new ArrayList<>();
                jobs.forEach(j -> {
                    if (j.path("seriesUid").asText().equals(s.seriesInstanceUid())) {
                        ofSeries.add(j);
                    }
                });
                assertEquals(1, ofSeries.size(), "one job for series " + s.seriesInstanceUid() + ": " + ofSeries);
            }
            List<String> segs = segSopInstanceUids(pacs.directory);
            assertEquals(List.of(job.path("result").path("segSopInstanceUid").asText(),
                    job2.path("result").path("segSopInstanceUid").asText()).stream().sorted().toList(), segs,
                    "exactly one SEG per series at the PACS");
            System.out.printf("fault %s: %d + %d acknowledged, %d + %d indexed, %d jobs, %d SEGs at the PACS%n", db,
                    acked, SLICES, acked, SLICES, jobs.size(), segs.size());
            node.close();
        } finally {
            if (database != null) {
                NodeTestResources.dropDatabase(database);
            }
        }
    }

    private Map<String, String> environment(Path data, String database, DcmtkStoreScp pacs) throws Exception {
        Map<String, String> env = new HashMap<>();
        // The same ports at every start: the restarted node is the same node id and takes its own jobs back at once.
        env.put("LIVERNODE_DICOM_PORT", Integer.toString(DcmtkStoreScp.freePort()));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(DcmtkStoreScp.freePort()));
        if (database != null) {
            env.put("QUARKUS_PROFILE", "postgresql");
            env.put("QUARKUS_DATASOURCE_POSTGRESQL_JDBC_URL", NodeTestResources.jdbcUrl(database));
            env.put("QUARKUS_DATASOURCE_POSTGRESQL_USERNAME", "livernode");
        }
        env.put("LIVERNODE_DATA_DIR", data.toString());
        env.put("LIVERNODE_SERIES_QUIET_PERIOD", "2s");
        env.put("LIVERNODE_SERIES_CHECK_INTERVAL", "500ms");
        env.put("LIVERNODE_WORKER_POLL_INTERVAL", "500ms");
        env.put("LIVERNODE_KNOWN_AES", "STORESCU@127.0.0.1:" + pacs.port);
        env.put("LIVERNODE_SELECTION_MIN_SLICES", Integer.toString(SLICES));
        env.put("LIVERNODE_DELIVERY_RESPONSE_TIMEOUT", (PACS_HOLDS_SECONDS + 20) + "s");
        env.put("JAVA_OPTS", "-Xmx512m -XX:+UseSerialGC");
        return env;
    }

    private PackagedNode start(String name, Path logs, Map<String, String> env) throws Exception {
        PackagedNode node = PackagedNode.start("node " + name, root, logs.resolve(name + ".log"), env);
        node.awaitReady(READY);
        return node;
    }

    private static void kill(PackagedNode node) throws InterruptedException {
        node.process().destroyForcibly(); // SIGKILL: no shutdown hook, no last commit
        node.process().waitFor();
    }

    private static SyntheticCtSeries series(Path work, int seed) throws Exception {
        return SyntheticCtSeries.builder().setSliceCount(SLICES).setRows(64).setColumns(64).setSeed(seed)
                .setPatientId("FAULT-" + seed).write(Files.createDirectories(work.resolve("ct-" + seed)));
    }

    private static JsonNode awaitFinished(PackagedNode node, String seriesUid) throws Exception {
        long deadline = System.nanoTime() + JOB.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode j : JSON.readTree(node.get("/api/jobs"))) {
                if (j.path("seriesUid").asText().equals(seriesUid)) {
                    last = j;
                    String state = j.path("state").asText();
                    if (!List.of("QUEUED", "RUNNING", "DELIVERING").contains(state)) {
                        return j;
                    }
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no finished job for " + seriesUid + " within " + JOB + ": " + last + "\n" + node.tail());
    }

    private static void awaitFiles(Path dir, int count, PackagedNode node) throws Exception {
        long deadline = System.nanoTime() + JOB.toNanos();
        while (System.nanoTime() < deadline) {
            if (files(dir).size() >= count) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no SEG at the PACS within " + JOB + "\n" + node.tail());
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static List<String> segSopInstanceUids(Path dir) throws Exception {
        List<String> uids = new ArrayList<>();
        for (Path f : files(dir)) {
            AttributeList l = new AttributeList();
            l.read(f.toString(), TagFromName.PixelData);
            uids.add(Attribute.getSingleStringValueOrEmptyString(l, TagFromName.SOPInstanceUID));
        }
        return uids.stream().sorted().toList();
    }
}
