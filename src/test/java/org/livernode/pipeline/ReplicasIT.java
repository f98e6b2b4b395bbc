package org.livernode.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.livernode.dicom.DcmtkStoreScp;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.testing.Dcmtk;
import org.livernode.testing.NodeTestResources;
import org.livernode.testing.PackagedNode;
import org.livernode.testing.TestFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several replicas, one truth: two packaged nodes ({@code bin/livernode serve}) on one fresh PostgreSQL database
 * and one shared data directory behave as one node. The slices of every series are split over both replicas;
 * each series gets exactly one job, run once and delivered once to a dcmtk storescp. Then the replica running a
 * job is killed (SIGKILL) and the other one takes the job over when the lease expires, and delivers it; the test
 * holds a row of the index meanwhile, so the job is caught RUNNING whatever the speed of inference.
 *
 * <p>Runs in the integration-test phase (after {@code package} built {@code target/quarkus-app}): {@code bin/test}
 * runs it as its own step, {@code mvn verify -DskipUTs=true -DskipITs=false}.
 */
class ReplicasIT {
    private static final int REPLICAS = 2;
    /** Slices per series of the first phase: few, inference dominates the test's time on a loaded machine. */
    private static final int SLICES = 4;
    /** Slices of the series whose job is killed (one of them is not sent: a gap). */
    private static final int SLOW_SLICES = 60;
    private static final Duration QUIET = Duration.ofSeconds(4);
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final String SEG_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.66.4";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root = Path.of("").toAbsolutePath();
    private final List<Replica> replicas = new ArrayList<>();
    private DcmtkStoreScp pacs;
    private String database;
    private Path work;

    /** One {@code bin/livernode serve} process; its worker's node id is host:dicomPort. */
    private record Replica(int index, PackagedNode node, String nodeId) {
        String api(String path) throws IOException, InterruptedException {
            return node.get(path);
        }

        Process process() {
            return node.process();
        }

        int dicomPort() {
            return node.dicomPort();
        }
    }

    @Test
    void replicasShareOneQueueAndTakeOverTheJobOfAKilledReplica() throws Exception {
        Path jar = root.resolve("target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: run this test with mvn verify (package builds it)");
        work = Files.createTempDirectory("livernode-replicas-");
        Path logs = Files.createDirectories(root.resolve("target/replicas-it"));
        database = NodeTestResources.createDatabase("livernode_replicas_");
        pacs = new DcmtkStoreScp("PACS", DcmtkStoreScp.freePort(), Files.createDirectories(work.resolve("pacs"))).start();
        Path shared = Files.createDirectories(work.resolve("data"));

        long t0 = System.nanoTime();
        for (int i = 0; i < REPLICAS; i++) {
            replicas.add(startReplica(i, shared, logs));
        }
        for (Replica r : replicas) {
            r.node().awaitReady(Duration.ofSeconds(120));
        }
        System.out.printf("replicas: %d nodes ready in %d ms (%s)%n", REPLICAS, ms(t0),
                replicas.stream().map(Replica::nodeId).toList());

        // Phase 1: 10 series of 4 slices, even slices to replica 0 and odd ones to replica 1, sent at once.
        List<SyntheticCtSeries> series = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            series.add(SyntheticCtSeries.builder().setSliceCount(SLICES).setRows(64).setColumns(64).setSeed(s)
                    .setPatientId("REPLICA-" + s).write(Files.createDirectories(work.resolve("ct-" + s))));
        }
        long sent = System.nanoTime();
        sendSplit(series.stream().map(ReplicasIT::slices).toList());
        System.out.printf("replicas: 10 series x %d slices sent over %d replicas in %d ms%n", SLICES, REPLICAS, ms(sent));

        Set<String> seriesUids = new HashSet<>(series.stream().map(SyntheticCtSeries::seriesInstanceUid).toList());
        List<JsonNode> jobs = awaitJobs(replicas.get(0), seriesUids, j -> isFinal(j), Duration.ofSeconds(150));
        System.out.printf("replicas: 10 jobs finished %d ms after the last slice was sent%n", ms(sent));
        assertEquals(10, jobs.size(), "exactly one job per series: " + jobs);
        Map<String, Long> perReplica = new HashMap<>();
        Set<String> deliveredSegs = new HashSet<>();
        for (JsonNode job : jobs) {
            assertEquals("DONE", job.path("state").asText(), "job " + job);
            assertEquals(1, job.path("attempts").asInt(), "each job ran once: " + job);
            assertEquals("DELIVERED", job.path("result").path("delivery").path("status").asText(), "job " + job);
            perReplica.merge(job.path("claimedBy").asText(), 1L, Long::sum);
            deliveredSegs.add(job.path("result").path("segSopInstanceUid").asText());
        }
        assertEquals(seriesUids, uidsOf(jobs), "one job for every series sent");
        assertEquals(deliveredSegs, segsAtPacs(), "one SEG per series at the destination, none twice");
        System.out.printf("replicas: jobs per replica %s, median job time %d ms%n", perReplica, medianRunMs(jobs));

        // Phase 2: kill -9 the replica that runs a job; the other takes the job over when the lease runs out.
        // The job is caught RUNNING by construction, not by racing inference that gets faster every release: the
        // test holds the study's row in the index (SELECT ... FOR UPDATE), so the run cannot store its SEG, and
        // cannot leave RUNNING, until the test lets go after the kill. The lock is taken once every slice is stored
        // (storing a slice takes that row too); one slice left out makes a gap, so the series waits the quiet
        // period before its job is queued and the lock is in place long before the run gets to its SEG.
        SyntheticCtSeries slow = SyntheticCtSeries.builder().setSliceCount(SLOW_SLICES).setRows(64).setColumns(64)
                .setPatientId("REPLICA-SLOW").write(Files.createDirectories(work.resolve("ct-slow")));
        List<Path> sentSlices = new ArrayList<>();
        for (int k = 0; k < slow.sliceCount(); k++) {
            if (k != SLOW_SLICES / 2) {
                sentSlices.add(slow.file(k));
            }
        }
        JsonNode running;
        Replica victim;
        Instant killedAt;
        try (Connection db = DriverManager.getConnection(NodeTestResources.jdbcUrl(database), "livernode", "")) {
            sendSplit(List.of(sentSlices));
            db.setAutoCommit(false);
            try (PreparedStatement lock = db.prepareStatement("select study_uid from study where study_uid = ? for update")) {
                lock.setString(1, slow.studyInstanceUid());
                try (ResultSet row = lock.executeQuery()) {
                    assertTrue(row.next(), "the study is indexed once its slices are acknowledged");
                }
            }
            running = awaitJobs(replicas.get(0), Set.of(slow.seriesInstanceUid()),
                    j -> "RUNNING".equals(j.path("state").asText()), Duration.ofSeconds(60)).get(0);
            victim = replicas.stream().filter(r -> r.nodeId().equals(running.path("claimedBy").asText()))
                    .findFirst().orElseThrow(() -> new AssertionError("no replica has node id of " + running));
            victim.process().destroyForcibly();  // SIGKILL: no shutdown hook, the lease is simply no longer renewed
            victim.process().waitFor();
            killedAt = Instant.now();
            db.rollback();
        }
        Replica survivor = replicas.stream().filter(r -> r != victim).findFirst().orElseThrow();
        System.out.printf("replicas: %d-slice series; killed replica %d (%s) while it ran job %d%n", sentSlices.size(),
                victim.index(), victim.nodeId(), running.path("id").asLong());

        JsonNode taken = awaitJobs(survivor, Set.of(slow.seriesInstanceUid()), j -> isFinal(j), Duration.ofSeconds(120)).get(0);
        assertEquals("DONE", taken.path("state").asText(), "taken-over job: " + taken);
        assertEquals(2, taken.path("attempts").asInt(), "the killed attempt and the one that finished: " + taken);
        assertEquals(survivor.nodeId(), taken.path("claimedBy").asText());
        assertNotEquals(victim.nodeId(), taken.path("claimedBy").asText());
        assertEquals("DELIVERED", taken.path("result").path("delivery").path("status").asText(), "job " + taken);
        assertEquals(sentSlices.size(), taken.path("result").path("slices").asInt(), "job " + taken);
        long takeoverMs = Duration.between(killedAt, Instant.parse(taken.path("startedAt").asText())).toMillis();
        long doneMs = Duration.between(killedAt, Instant.parse(taken.path("finishedAt").asText())).toMillis();
        System.out.printf("replicas: job taken over by replica %d %d ms after the kill (lease %s), DONE after %d ms%n",
                survivor.index(), takeoverMs, LEASE, doneMs);

        deliveredSegs.add(taken.path("result").path("segSopInstanceUid").asText());
        assertEquals(deliveredSegs, segsAtPacs(), "the taken-over job's SEG delivered once, nothing else");
        List<JsonNode> all = jobsOn(survivor);
        assertEquals(11, all.size(), "no series completed twice: " + all);
        System.out.printf("replicas: whole test %d ms%n", ms(t0));
    }

    private Replica startReplica(int index, Path shared, Path logs) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_PROFILE", "postgresql");
        env.put("QUARKUS_DATASOURCE_POSTGRESQL_JDBC_URL", NodeTestResources.jdbcUrl(database));
        env.put("QUARKUS_DATASOURCE_POSTGRESQL_USERNAME", "livernode");
        env.put("LIVERNODE_DATA_DIR", shared.toString());
        env.put("LIVERNODE_SERIES_QUIET_PERIOD", QUIET.toSeconds() + "s");
        env.put("LIVERNODE_SERIES_CHECK_INTERVAL", "500ms");
        env.put("LIVERNODE_WORKER_LEASE", LEASE.toSeconds() + "s");
        env.put("LIVERNODE_WORKER_POLL_INTERVAL", "500ms");
        env.put("LIVERNODE_KNOWN_AES", "STORESCU@127.0.0.1:" + pacs.port);
        env.put("LIVERNODE_DELIVERY_ATTEMPTS", "3");
        env.put("LIVERNODE_DELIVERY_INITIAL_BACKOFF", "500ms");
        env.put("LIVERNODE_SELECTION_MIN_SLICES", Integer.toString(SLICES));
        // Two replicas share this machine's cores: one inference thread each.
        env.put("JAVA_OPTS", "-Xmx320m -XX:+UseSerialGC -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1");
        PackagedNode node = PackagedNode.start("replica " + index, root, logs.resolve("replica-" + index + ".log"), env);
        return new Replica(index, node, SegmentationWorker.defaultNodeId(node.dicomPort()));
    }

    /** Sends the slices of each series round-robin over the replicas, one storescu per replica, all at once. */
    private void sendSplit(List<List<Path>> slicesPerSeries) throws Exception {
        List<List<Path>> perReplica = new ArrayList<>();
        replicas.forEach(r -> perReplica.add(new ArrayList<>()));
        for (List<Path> slices : slicesPerSeries) {
            for (int k = 0; k < slices.size(); k++) {
                perReplica.get(k % REPLICAS).add(slices.get(k));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(REPLICAS);
        try {
            List<Future<Dcmtk.Result>> runs = new ArrayList<>();
            for (int i = 0; i < REPLICAS; i++) {
                Replica r = replicas.get(i);
                List<Path> files = perReplica.get(i);
                runs.add(pool.submit(() -> Dcmtk.storescu("LIVERNODE", r.dicomPort(), List.of(), files)));
            }
            for (int i = 0; i < REPLICAS; i++) {
                Dcmtk.Result result = runs.get(i).get();
                assertEquals(perReplica.get(i).size(), result.count("Received Store Response (Success)"), result.output());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Polls GET /api/jobs until every series in {@code uids} has a job and all of them match {@code done}. */
    private static List<JsonNode> awaitJobs(Replica r, Set<String> uids, Predicate<JsonNode> done, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> ours = List.of();
        while (System.nanoTime() < deadline) {
            ours = jobsOn(r).stream().filter(j -> uids.contains(j.path("seriesUid").asText())).toList();
            if (uidsOf(ours).equals(uids) && ours.stream().allMatch(done)) {
                return ours;
            }
            Thread.sleep(150);
        }
        throw new AssertionError("jobs not as expected within " + timeout + ": " + ours);
    }

    private static List<Path> slices(SyntheticCtSeries series) {
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < series.sliceCount(); k++) {
            files.add(series.file(k));
        }
        return files;
    }

    private static List<JsonNode> jobsOn(Replica r) throws Exception {
        List<JsonNode> jobs = new ArrayList<>();
        JSON.readTree(r.api("/api/jobs")).forEach(jobs::add);
        return jobs;
    }

    private static Set<String> uidsOf(List<JsonNode> jobs) {
        Set<String> uids = new HashSet<>();
        jobs.forEach(j -> uids.add(j.path("seriesUid").asText()));
        return uids;
    }

    private static boolean isFinal(JsonNode job) {
        String state = job.path("state").asText();
        return !state.equals("QUEUED") && !state.equals("RUNNING") && !state.equals("DELIVERING");
    }

    private static long runMs(JsonNode job) {
        return Duration.between(Instant.parse(job.path("startedAt").asText()),
                Instant.parse(job.path("finishedAt").asText())).toMillis();
    }

    private static long medianRunMs(List<JsonNode> jobs) {
        long[] t = jobs.stream().mapToLong(ReplicasIT::runMs).sorted().toArray();
        return t[t.length / 2];
    }

    /** SOP Instance UIDs of the SEGs storescp received. */
    private Set<String> segsAtPacs() throws Exception {
        Set<String> uids = new HashSet<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(pacs.directory)) {
            files = list.toList();
        }
        for (Path f : files) {
            AttributeList l = new AttributeList();
            l.read(f.toFile(), TagFromName.PixelData);
            assertEquals(SEG_SOP_CLASS, Attribute.getSingleStringValueOrEmptyString(l, TagFromName.SOPClassUID), f.toString());
            uids.add(Attribute.getSingleStringValueOrEmptyString(l, TagFromName.SOPInstanceUID));
        }
        assertEquals(files.size(), uids.size(), "a SEG received twice: " + files);
        return uids;
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Replica r : replicas) {
            r.process().destroy();
        }
        for (Replica r : replicas) {
            r.node().close();
        }
        if (pacs != null) {
            pacs.close();
        }
        if (database != null) {
            NodeTestResources.dropDatabase(database);
        }
        if (work != null) {
            TestFiles.deleteTree(work);
        }
    }
}
