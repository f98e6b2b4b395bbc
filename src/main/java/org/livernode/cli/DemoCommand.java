package org.livernode.cli;

import org.livernode.dicom.vocabulary.Uids;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.DicomNode;
import org.livernode.dicom.vocabulary.RemoteAe;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.pipeline.JobResult;
import org.livernode.pipeline.SegDelivery;
import org.livernode.pipeline.SegmentationWorker;
import org.livernode.store.InstanceStore;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.store.JobState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code livernode demo}: the node's whole job on this machine with real peers. A dcmtk storescp plays the PACS,
 * dcmtk storescu sends the bundled CT series to the node, the node segments it and sends the SEG back, and
 * dciodvfy checks the SEG the PACS received.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the node on the bundled CT series end to end (storescu -> livernode -> SEG -> storescp).")
public class DemoCommand implements Callable<Integer> {

    private static final String SENDER_AE = "DEMOSCU";

    @Option(names = "--sample", description = "Folder of the CT series to send (default: the bundled sample)")
    Path sample;

    @Option(names = "--timeout", defaultValue = "PT10M", description = "How long to wait for the SEG (ISO-8601 duration); default ${DEFAULT-VALUE}")
    Duration timeout;

    @Inject
    DicomNode node;
    @Inject
    SegmentationWorker worker;
    @Inject
    org.livernode.corrections.CorrectionMonitor corrections;
    @Inject
    SegDelivery delivery;
    @Inject
    JobQueue queue;
    @Inject
    InstanceStore store;
    @Inject
    ObjectMapper json;
    @Inject
    LivernodeConfig config;

    @Override
    public Integer call() throws Exception {
        for (String tool : List.of("storescu", "storescp", "dcmodify", "dciodvfy")) {
            if (!onPath(tool)) {
                return fail(tool + " is not installed; run bin/setup (it installs dcmtk and dicom3tools)");
            }
        }
        Path source = sample != null ? sample : config.home().resolve("samples/siemens-ct-j2k");
        List<Path> files = dicomFiles(source);
        if (files.isEmpty()) {
            return fail("no CT files in " + source);
        }
        Path run = store.dataDir().resolve("demo-runs")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path ct = Files.createDirectories(run.resolve("ct"));
        Path pacsDir = Files.createDirectories(run.resolve("pacs"));
        String seriesUid = copyWithFreshUids(files, ct);

        int pacsPort = freePort();
        Process pacs = new ProcessBuilder("storescp", "--aetitle", "DEMOPACS", "--output-directory", pacsDir.toString(),
                String.valueOf(pacsPort)).redirectErrorStream(true).redirectOutput(run.resolve("storescp.log").toFile()).start();
        try {
            waitForPort(pacsPort, Duration.ofSeconds(10));
            node.start();
            worker.start(SegmentationWorker.defaultNodeId(node.port()));
            corrections.start();
            delivery.addKnownAe(new RemoteAe(SENDER_AE, "127.0.0.1", pacsPort));
            System.out.printf("1/4 PACS (dcmtk storescp DEMOPACS) on port %d; livernode %s on port %d%n",
                    pacsPort, node.aeTitle(), node.port());

            long t0 = System.nanoTime();
            // The sample is JPEG 2000 lossless, as a PACS forwards it: propose that transfer syntax.
            List<String> storescu = new ArrayList<>(List.of("storescu", "--propose-j2k-lossless", "-aet", SENDER_AE, "-aec", node.aeTitle(),
                    "127.0.0.1", String.valueOf(node.port())));
            try (Stream<Path> s = Files.list(ct)) {
                s.sorted().forEach(f -> storescu.add(f.toString()));
            }
            Process send = new ProcessBuilder(storescu).redirectErrorStream(true)
                    .redirectOutput(run.resolve("storescu.log").toFile()).start();
            if (!send.waitFor(5, TimeUnit.MINUTES) || send.exitValue() != 0) {
                return fail("storescu could not send the series (see " + run.resolve("storescu.log") + ")");
            }
            double sendSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "2/4 sent %d CT slices with storescu in %.1f s; waiting for the series to "
                    + "complete and be segmented...%n", files.size(), sendSeconds);

            Job job = waitForJob(seriesUid, t0);
            if (job == null) {
                return fail("no SEG within " + timeout + "; see GET /api/jobs and the log");
            }
            JobResult result = JobResult.read(json, job.resultJson);
            if (job.getState() != JobState.DONE || result.deliveryStatus() != JobResult.DeliveryStatus.DELIVERED) {
                return fail("job " + job.id + " ended " + job.getState() + ": " + job.reason);
            }
            double totalSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "3/4 SEG delivered to the PACS %.1f s after the first slice was sent%n", totalSeconds);

            Path received = findSeg(pacsDir);
            if (received == null) {
                return fail("the PACS has no SEG in " + pacsDir);
            }
            Process check = new ProcessBuilder("dciodvfy", received.toString()).redirectErrorStream(true).start();
            String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            check.waitFor();
            long errors = report.lines().filter(l -> l.startsWith("Error")).count();
            long warnings = report.lines().filter(l -> l.startsWith("Warning")).count();
            System.out.printf("4/4 dciodvfy: %d errors, %d warnings%n%n", errors, warnings);

            JobResult.Timings timings = result.timings();
            System.out.printf(Locale.ROOT, "Summary%n  series:   %s (%d slices, liver on %d)%n  liver:    %.1f mL%n"
                            + "  model:    %s%n  timings:  wait in queue %d ms, load %d ms, inference %d ms, SEG %d ms, "
                            + "delivery %d ms%n  SEG kept: %s%n  at PACS:  %s%n",
                    seriesUid, result.slices(), result.slicesWithLiver(), result.liverMl(), result.model(),
                    timings.queueWaitMs(), timings.loadMs(), timings.inferenceMs(), timings.segMs(), timings.deliveryMs(),
                    store.dataDir().resolve(result.segPath()), received);
            System.out.printf("%nIn a browser: bin/livernode serve (its first start prints the password of the user admin;"
                    + " or set LIVERNODE_SECURITY_ADMIN_PASSWORD), send it a series, sign in at http://localhost:8080/%n");
            return errors == 0 ? 0 : fail("dciodvfy found errors in the SEG:\n" + report);
        } finally {
            worker.stop();
            node.stop();
            pacs.destroy();
            pacs.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Copies the sample and gives it new Study, Series and SOP Instance UIDs, so every run is a new study. */
    private String copyWithFreshUids(List<Path> files, Path target) throws IOException, InterruptedException {
        String study = Uids.newUid();
        String series = Uids.newUid();
        for (Path file : files) {
            Path copy = target.resolve(file.getFileName());
            Files.copy(file, copy);
            copy.toFile().setWritable(true);
            run("dcmodify", "-nb", "-q", "-m", "(0020,000D)=" + study, "-m", "(0020,000E)=" + series,
                    "-m", "(0008,0018)=" + Uids.newUid(), copy.toString());
        }
        return series;
    }

    private Job waitForJob(String seriesUid, long startNanos) throws InterruptedException {
        long deadline = startNanos + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Job> job = queue.latestFor(seriesUid);
            if (job.isPresent() && !job.get().getState().isOpen()) {
                return job.get();
            }
            Thread.sleep(500);
        }
        return null;
    }

    private static Path findSeg(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).findFirst().orElse(null);
        }
    }

    private static List<Path> dicomFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("CT")).sorted().toList();
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port, Duration within) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IOException("storescp did not start listening on port " + port);
    }

    private static int fail(String message) {
        System.err.println("livernode demo: " + message);
        return 1;
    }
}
