package org.livernode.pipeline;

import org.livernode.config.LivernodeConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.model.ModelArchitecture;
import org.livernode.training.CaseSplit;
import org.livernode.training.LabelledSlice;
import org.livernode.training.SegmentationTraining;
import org.livernode.training.TrainingOptions;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Test-only: the pipeline's settings without Quarkus, and a tiny real model for tests that run many slices. */
final class TestPipelines {

    private TestPipelines() {
    }

    /** The pipeline settings with their defaults, except the model directory, batch size and empty-frame rule. */
    static LivernodeConfig config(Path modelDir, int batchSize, boolean omitEmptyFrames) {
        return new SmallRyeConfigBuilder().withMapping(LivernodeConfig.class)
                .withDefaultValue("livernode.viewer.dir", modelDir.toString())
                .withConverter(Duration.class, 200, new DurationConverter()) // "2s", as Quarkus reads it
                .withDefaultValue("livernode.inference.model-dir", modelDir.toString())
                .withDefaultValue("livernode.inference.batch-size", Integer.toString(batchSize))
                .withDefaultValue("livernode.seg.omit-empty-frames", Boolean.toString(omitEmptyFrames))
                .build().getConfigMapping(LivernodeConfig.class);
    }

    /** Trains an EAS U-Net of width 4 at 32x32 for one epoch on phantom slices: a real model directory, fast to run. */
    static Path tinyModel(Path dir) throws IOException {
        List<LabelledSlice> slices = new ArrayList<>();
        for (String patient : List.of("phantom-a", "phantom-b", "phantom-c")) {
            SyntheticCtSeries ct = SyntheticCtSeries.builder().setSliceCount(4).setRows(32).setColumns(32)
                    .setPixelSpacing(12, 12).setSeed(patient.hashCode()).write(dir.resolve("slices-" + patient));
            for (int k = 0; k < ct.sliceCount(); k++) {
                slices.add(new LabelledSlice(patient, 32, 32, ct.sliceHu(k), ct.liverMask(k), 12, 12));
            }
        }
        Path model = dir.resolve("model");
        TrainingOptions options = TrainingOptions.builder().setArchitecture(ModelArchitecture.easUnet(4)).setOutput(model)
                .optBatchSize(4).optInputSize(32).optScaleJitter(0).optEpochs(1).build();
        new SegmentationTraining(options, new PrintStream(OutputStream.nullOutputStream()))
                .run("phantom slices", CaseSplit.of(slices, 42, 0.67));
        return model;
    }
}
