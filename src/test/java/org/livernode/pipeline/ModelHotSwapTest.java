package org.livernode.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.DicomNode;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.model.LiverPredictor;
import org.livernode.model.ModelFiles;
import org.livernode.registry.GateReport;
import org.livernode.registry.ModelPromotion;
import org.livernode.registry.ModelRegistry;
import org.livernode.registry.PromotionGate;
import org.livernode.registry.TestModels;
import org.livernode.registry.ValidationSets;
import org.livernode.segmentation.LiverModel;
import org.livernode.segmentation.ModelLease;
import org.livernode.store.InstanceStore;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.store.JobState;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 point 5 on a running node: a series is segmented by the bundled v3; a copy of it made worse on purpose
 * (registered as v3-worse) is promoted while half of a second series was already segmented on arrival by v3; the
 * second series' job, without a restart, runs v3-worse on every slice (the masks v3 made on arrival are not used:
 * its SEG equals v3-worse's own run) and both its SEG and its job row name v3-worse. A lease taken
 * before the promotion keeps running its model until it is closed. A promoted model that cannot be loaded leaves
 * the running one in place, with one error, not one a job.
 */
@QuarkusTest
@WithTestResource(CompletionTestResources.class)
class ModelHotSwapTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @Inject
    DicomNode node;
    @Inject
    SegmentationWorker worker;
    @Inject
    ArrivalSegmentation onArrival;
    @Inject
    JobQueue queue;
    @Inject
    InstanceStore store;
    @Inject
    LivernodeConfig config;
    @Inject
    LiverModel model;
    @Inject
    ModelPromotion promotion;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    @TempDir
    Path temp;
    private JobResult first;

    @BeforeEach
    void start() {
        Assumptions.assumeTrue(TestModels.litsPresent(), "skipped: real data " + TestModels.LITS.toAbsolutePath() + " absent");
        node.start();
        worker.start("hot-swap-test:" + node.port());
    }

    @AfterEach
    void stop() throws Exception {
        worker.stop();
        node.stop();
        ModelRegistry registry = promotion.registry();
        while (!registry.read().activeHistory().isEmpty()) {
            registry.rollback("test cleanup"); // the next test of this application runs the bundled model
        }
    }

    @Test
    void theNextJobAfterAPromotionRunsTheNewVersionWithoutARestart() throws Exception {
        SyntheticCtSeries first = EndToEnd.phantom(20).write(temp.resolve("first"));
        EndToEnd.send(node, "HOTSWAP", first.files());
        JobResult before = result(first);
        assertEquals("eas-unet-lits v3", before.model());
        assertTrue(softwareVersions(before).contains("eas-unet-lits v3"), softwareVersions(before));
        this.first = before;

        // half of the next series (with a gap: it does not complete) is segmented on arrival by v3
        // (10 slices an association: livernode.selection.min-slices, so the release completes the series at once)
        SyntheticCtSeries second = EndToEnd.phantom(20).write(temp.resolve("second"));
        int held = onArrival.masksHeld();
        List<Path> firstHalf = new ArrayList<>(second.files().subList(0, 5));
        firstHalf.addAll(second.files().subList(10, 15));
        EndToEnd.send(node, "HOTSWAP", firstHalf);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (onArrival.masksHeld() < held + firstHalf.size() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(held + firstHalf.size(), onArrival.masksHeld(), "the first half segmented on arrival by v3");

        try (ModelLease old = model.acquire()) {
            promoteAndSegment(second, old);
        }
    }

    private void promoteAndSegment(SyntheticCtSeries second, ModelLease old) throws Exception {
        ModelRegistry registry = promotion.registry();
        Path worse = TestModels.worse(temp.resolve("worse"), "v3-worse", 4f);
        registry.register(worse, null, "test");
        registry.promote(lenientGate(registry), "test");

        // the second half completes the series: its job starts after the promotion
        List<Path> secondHalf = new ArrayList<>(second.files().subList(5, 10));
        secondHalf.addAll(second.files().subList(15, 20));
        EndToEnd.send(node, "HOTSWAP", secondHalf);
        JobResult after = result(second);
        assertEquals("eas-unet-lits v3-worse", after.model());
        assertTrue(softwareVersions(after).contains("eas-unet-lits v3-worse"), softwareVersions(after));
        CtSeries volume = CtSeriesReader.read(second.files());
        Map<String, byte[]> masks = SegmentationReader.read(store.resolve(after.segPath())).masksByReferencedSopInstanceUid(1);
        try (LiverPredictor own = LiverPredictor.load(registry.dirOf(registry.read(), "v3-worse"),
                config.inference().batchSize(), false)) {
            SegmentationPipeline.Outcome direct = new SegmentationPipeline(config, version)
                    .run(volume, own, temp.resolve("direct.dcm"), done -> { });
            for (int k = 0; k < volume.sliceCount(); k++) {
                assertArrayEquals(direct.masks()[k], masks.get(volume.sopInstanceUids().get(k)), "slice " + k);
            }
        }
        assertTrue(after.liverMl() < 0.9 * first.liverMl(), "v3-worse calls less liver: " + after.liverMl() + " vs " + first.liverMl());

        // the lease taken before the promotion still runs v3, then lets it go
        assertEquals("eas-unet-lits v3", old.modelVersion());
        float[][] air = new float[1][old.network().inputSize() * old.network().inputSize()];
        assertEquals(1, old.network().liverProbability(air).length);
        old.close();
        try (ModelLease now = model.acquire()) {
            assertEquals("eas-unet-lits v3-worse", now.modelVersion());
            assertNotSame(old.predictor(), now.predictor());
        }
        assertFalse(registry.read().log().isEmpty());
    }

    @Test
    void aPromotedModelThatCannotBeLoadedLeavesTheRunningOneAndIsTriedOnce() throws Exception {
        try (ModelLease lease = model.acquire()) {
            assertEquals("eas-unet-lits v3", lease.modelVersion());
        }
        ModelRegistry registry = promotion.registry();
        registry.register(TestModels.worse(temp.resolve("broken"), "v3-broken", 4f), null, "test");
        registry.promote(lenientGate(registry, "v3-broken"), "test");
        // the promoted copy's weights damaged on the shared volume after the gate passed it
        Path weights = registry.dirOf(registry.read(), "v3-broken").resolve(ModelFiles.WEIGHTS_FILE);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(weights, bytes);

        List<String> errors = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(r instanceof ExtLogRecord e ? e.getFormattedMessage() : r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(LiverModel.class.getName());
        log.addHandler(handler);
        try {
            for (int job = 0; job < 3; job++) {
                try (ModelLease lease = model.acquire()) {
                    assertEquals("eas-unet-lits v3", lease.modelVersion(), "job " + job + " runs the model that works");
                }
            }
        } finally {
            log.removeHandler(handler);
        }
        assertEquals(1, errors.size(), "one error for the model that cannot be loaded, not one a job: " + errors);
        assertTrue(errors.get(0).contains("v3-broken") && errors.get(0).contains("keeps running"), errors.get(0));
    }

    private GateReport lenientGate(ModelRegistry registry) throws Exception {
        return lenientGate(registry, "v3-worse");
    }

    private GateReport lenientGate(ModelRegistry registry, String candidate) throws Exception {
        List<ValidationSets.Set> sets = ValidationSets.of(ModelFiles.readCard(TestModels.BUNDLED),
                Optional.of("lits-slices:" + TestModels.litsSubset(temp.resolve("lits"), 5)), Path.of("."), config.dataDir());
        ModelRegistry.Active active = registry.active();
        GateReport report = new PromotionGate(new PromotionGate.Settings(0.99, Optional.empty(), 8, false)).evaluate(
                new PromotionGate.Model(active.version(), active.dir()),
                new PromotionGate.Model(candidate, registry.dirOf(registry.read(), candidate)), sets, List.of());
        assertTrue(report.passed(), report.reason());
        return report;
    }

    private JobResult result(SyntheticCtSeries ct) throws Exception {
        Job job = JobWaits.finished(queue, ct.seriesInstanceUid(), TIMEOUT);
        assertEquals(JobState.DONE, job.getState(), "job reason: " + job.reason);
        return JobResult.read(json, queue.find(job.id).orElseThrow().resultJson);
    }

    private String softwareVersions(JobResult result) throws Exception {
        AttributeList seg = new AttributeList();
        seg.read(store.resolve(result.segPath()).toString(), TagFromName.PixelData);
        return Attribute.getDelimitedStringValuesOrEmptyString(seg, TagFromName.SoftwareVersions);
    }
}
