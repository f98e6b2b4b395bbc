package org.livernode.pipeline;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livernode.dicom.DicomNode;
import org.livernode.dicom.ExternalTool;
import org.livernode.store.InstanceStore;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.testing.CtHeaderZoo;
import org.livernode.testing.Dcmtk;
import org.livernode.testing.NodeTestResources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zoo walk through {@code serve}: each multi-slice series and multi-frame file of the real CT header zoo is
 * sent by dcmtk's storescu to the running node; its job must end DONE with a SEG of 0 dciodvfy errors, or, for the
 * units {@link CtHeaderZoo#NOT_SEGMENTED} names, SKIPPED / FAILED with that reason; never without a job. Rows go to target/ct-header-zoo-serve.md.
 */
@QuarkusTest
@WithTestResource(CtHeaderZooServeTest.SmallSeriesNode.class)
class CtHeaderZooServeTest {

    public static class SmallSeriesNode extends NodeTestResources {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            config.put("livernode.selection.min-slices", "1");
            config.put("livernode.series.quiet-period", "1s");
            config.put("livernode.worker.poll-interval", "200ms");
            config.put("livernode.inference.batch-size", "4");
            return config;
        }
    }

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);

    @Inject
    DicomNode node;
    @Inject
    SegmentationWorker worker;
    @Inject
    JobQueue queue;
    @Inject
    InstanceStore store;

    @BeforeEach
    void start() {
        node.start();
        worker.start("zoo-serve:" + node.port());
    }

    @Test
    void everyMultiSliceZooSeriesSentByStorescuGetsAValidSegOrAReason() throws Exception {
        StringBuilder table = new StringBuilder("| zoo series | job | reason or notes |\n| --- | --- | --- |\n");
        List<String> wrong = new ArrayList<>();
        for (CtHeaderZoo.Unit unit : CtHeaderZoo.units()) {
            if (unit.single()) {
                continue; // single slices are stacked by the walk through segment
            }
            List<String> command = new ArrayList<>(List.of("storescu", "-aet", "ZOOSCU", "-aec", node.aeTitle(),
                    "127.0.0.1", Integer.toString(node.port())));
            unit.files().forEach(f -> command.add(f.toString()));
            Dcmtk.Result sent = Dcmtk.run(command);
            String seriesUid = seriesUid(unit.files().get(0));
            Job job = awaitFinished(seriesUid);
            String state = job.getState().name();
            String detail = job.reason == null ? "" : job.reason;
            String refusal = CtHeaderZoo.NOT_SEGMENTED.get(unit.name());
            if ("DONE".equals(state) == (refusal != null) || (refusal != null && !detail.contains(refusal))) {
                wrong.add(unit.name() + ": " + state + (refusal == null ? ", but it is an axial CT series: "
                        : ", expected a refusal saying '" + refusal + "': ") + detail);
            }
            if ("DONE".equals(state)) {
                String segPath = io.restassured.path.json.JsonPath.from(job.resultJson).getString("segPath");
                ExternalTool.Result check = ExternalTool.run(List.of("dciodvfy", store.resolve(segPath).toString()), 120);
                long errors = (check.stdout() + check.stderr()).lines().filter(l -> l.startsWith("Error")).count();
                if (errors != 0) {
                    wrong.add(unit.name() + ": the SEG has " + errors + " dciodvfy errors: " + check.stderr());
                    state = "DONE, " + errors + " dciodvfy errors";
                }
                List<String> notes = io.restassured.path.json.JsonPath.from(job.resultJson).getList("notes");
                detail = (detail + " " + (notes == null ? "" : String.join("; ", notes))).trim();
            } else if (detail.isBlank()) {
                wrong.add(unit.name() + ": " + state + " without a reason (storescu: " + sent.exitCode() + ")");
            }
            table.append("| `").append(unit.name()).append("` | ").append(state).append(" | ")
                    .append(detail.replace("|", "\\|")).append(" |\n");
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "ct-header-zoo-serve.md"), table.toString());
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    private static String seriesUid(Path file) throws Exception {
        com.pixelmed.dicom.AttributeList l = new com.pixelmed.dicom.AttributeList();
        l.read(file.toString(), com.pixelmed.dicom.TagFromName.PixelData);
        return com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(l,
                com.pixelmed.dicom.TagFromName.SeriesInstanceUID).trim();
    }

    private Job awaitFinished(String seriesUid) throws InterruptedException {
        return JobWaits.finished(queue, seriesUid, JOB_TIMEOUT);
    }
}
