package org.livernode.cli;

import org.livernode.config.LivernodeConfig;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.livernode.dicom.seg.SegmentationException;
import org.livernode.model.InferenceEngine;
import org.livernode.model.LiverPredictor;
import org.livernode.segmentation.LiverModel;
import org.livernode.pipeline.SegmentationPipeline;
import org.livernode.pipeline.SeriesFiles;
import org.livernode.pipeline.SeriesInput;
import org.livernode.pipeline.SeriesSelection;
import org.livernode.volume.CtSeries;
import org.livernode.volume.VolumeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code livernode segment}: the node's segmentation of one CT series in a folder, without networking. Exit codes:
 * 0 a SEG was written, 2 the input cannot be read or the SEG cannot be written, 3 the series is not one the node
 * segments (the selection's reason, as a job's SKIPPED). Every refusal prints one line naming the file and value.
 */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Segment the liver in a folder of CT DICOM files and write a DICOM SEG (no network).")
public class SegmentCommand implements Callable<Integer> {

    /** The series is not one the node segments (as a job that ends SKIPPED). */
    static final int NOT_SEGMENTED = 3;

    @Option(names = "--input", required = true, description = "Folder with the CT series' DICOM files (searched recursively)")
    Path input;

    @Option(names = "--output", required = true, description = "SEG file to write")
    Path output;

    @Option(names = "--series", description = "Series Instance UID to segment when the folder holds several series")
    String seriesUid;

    @Option(names = "--model", description = "Model directory (default: livernode.inference.model-dir, the bundled model)")
    Path model;

    @Option(names = "--engine", description = "Inference engine, pytorch or onnxruntime (default: livernode.inference.engine)")
    String engine;

    @Inject
    LivernodeConfig config;
    @Inject
    LiverModel liverModel;
    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    @Override
    public Integer call() {
        InferenceEngine chosen;
        try {
            chosen = InferenceEngine.chosen(engine, config.inference().engine());
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        try {
            List<Path> notDicom = new java.util.ArrayList<>();
            Map<String, List<Path>> series = SeriesFiles.bySeries(input, notDicom);
            if (series.isEmpty()) {
                return fail("no DICOM files in " + input + (notDicom.isEmpty() ? "" : " (" + notDicom.size()
                        + " file(s) are not readable DICOM with a SOP Class UID, e.g. " + notDicom.get(0) + ")"));
            }
            if (!notDicom.isEmpty()) {
                System.out.println("Note: " + notDicom.size() + " file(s) left out, not readable DICOM with a SOP Class"
                        + " UID, e.g. " + notDicom.get(0));
            }
            List<Path> files;
            if (seriesUid != null) {
                files = series.get(seriesUid);
                if (files == null) {
                    return fail("series " + seriesUid + " is not in " + input + "; found " + series.keySet());
                }
            } else if (series.size() > 1) {
                StringBuilder list = new StringBuilder();
                series.forEach((uid, f) -> list.append("\n  ").append(uid.isEmpty() ? "(empty Series UID)" : uid)
                        .append(": ").append(f.size()).append(" files"));
                return fail(input + " holds " + series.size() + " series; choose one with --series:" + list);
            } else {
                files = series.values().iterator().next();
            }
            SeriesInput.Prepared prepared = SeriesInput.prepare(files, SeriesSelection.from(config.selection()));
            if (prepared.refusal().isPresent()) {
                System.err.println("livernode segment: not segmented: " + prepared.refusal().get());
                return NOT_SEGMENTED;
            }
            CtSeries ct = prepared.series();
            ct.notes().forEach(note -> System.out.println("Note: " + note));
            Path modelDir = model != null ? model : liverModel.modelDir();
            try (LiverPredictor predictor = LiverPredictor.load(modelDir, config.inference().batchSize(),
                    config.inference().testTimeAugmentation(), chosen)) {
                System.out.printf("Segmenting %d slices (%dx%d) with %s %s%n", ct.sliceCount(), ct.rows(), ct.columns(),
                        predictor.card().name(), predictor.card().version());
                if (output.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(output.toAbsolutePath().getParent());
                }
                SegmentationPipeline.Outcome outcome = new SegmentationPipeline(config, version).run(ct, predictor, output,
                        done -> System.out.printf("  %d/%d slices%n", done, ct.sliceCount()));
                System.out.printf(Locale.ROOT, "Liver: %.1f mL on %d of %d slices; inference %.1f s, SEG %.1f s%n",
                        outcome.liverMl(), outcome.slicesWithLiver(), outcome.slices(), outcome.inferenceMs() / 1000.0,
                        outcome.segMs() / 1000.0);
                System.out.println("SEG written: " + output + " (" + outcome.framesWritten() + " frames, SOP Instance UID "
                        + outcome.segSopInstanceUid() + ")");
            }
            return 0;
        } catch (VolumeException e) {
            return fail("the series cannot be read as one CT volume: " + e.getMessage());
        } catch (SegmentationException e) {
            return fail("cannot write the SEG: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static int fail(String message) {
        System.err.println("livernode segment: " + message);
        return 2;
    }
}
