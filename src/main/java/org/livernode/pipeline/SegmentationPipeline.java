package org.livernode.pipeline;

import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.seg.SegmentationWriter;
import org.livernode.dicom.seg.SourceFrame;
import org.livernode.volume.VolumeGeometry;
import org.livernode.model.LiverPredictor;
import org.livernode.model.ModelCard;
import org.livernode.model.SliceModel;
import org.livernode.segmentation.SeriesSegmenter;
import org.livernode.segmentation.SliceSegmenter;
import org.livernode.volume.CtSeries;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * From a validated CT series to a DICOM SEG file: predict, clean up, write. The node's job runner and the
 * offline {@code segment} command both go through here, so they give the same SEG for the same series.
 */
public final class SegmentationPipeline {

    private final int batchSize;
    private final java.util.Optional<Double> thresholdOverride;
    private final boolean omitEmptyFrames;
    private final int seriesNumber;
    private final String seriesDescription;
    private final String softwareVersion;

    public SegmentationPipeline(LivernodeConfig config, String softwareVersion) {
        this.batchSize = config.inference().batchSize();
        this.thresholdOverride = config.inference().threshold();
        this.omitEmptyFrames = config.seg().omitEmptyFrames();
        this.seriesNumber = config.seg().seriesNumber();
        this.seriesDescription = config.seg().seriesDescription();
        this.softwareVersion = softwareVersion;
    }

    /** What one run produced; times in milliseconds. */
    public record Outcome(int slices, int framesWritten, long liverVoxels, double liverMl, String segSeriesInstanceUid,
                          String segSopInstanceUid, String model, long inferenceMs, long segMs, byte[][] masks) {
        public int slicesWithLiver() {
            return (int) Arrays.stream(masks).filter(m -> {
                for (byte b : m) {
                    if (b != 0) {
                        return true;
                    }
                }
                return false;
            }).count();
        }
    }

    /** Slices to masks as this pipeline does it (the card's threshold unless the setting overrides it). */
    public SliceSegmenter sliceSegmenter(ModelCard card, SliceModel network) {
        return new SliceSegmenter(network, SliceSegmenter.threshold(card, thresholdOverride));
    }

    /** Each slice as the SEG names it: its instance, its frame (Enhanced CT) and its own position, never resampled. */
    static List<SourceFrame> sourceFrames(CtSeries series) {
        VolumeGeometry g = series.geometry();
        double[] row = g.rowDirection();
        double[] column = g.columnDirection();
        double[] orientation = {row[0], row[1], row[2], column[0], column[1], column[2]};
        double[] spacing = {g.rowSpacing(), g.columnSpacing()};
        List<SourceFrame> frames = new ArrayList<>(series.sliceCount());
        for (int k = 0; k < series.sliceCount(); k++) {
            frames.add(new SourceFrame(series.sopClassUid(k), series.sopInstanceUids().get(k), series.frameNumber(k),
                    series.position(k), orientation, spacing, series.statedSliceThickness(k)));
        }
        return frames;
    }

    /**
     * @param onProgress slices predicted so far, after each batch
     */
    public Outcome run(CtSeries series, LiverPredictor predictor, Path segFile, IntConsumer onProgress) throws IOException {
        return run(series, predictor, segFile, null, onProgress);
    }

    /**
     * @param uids the SEG's Series and SOP Instance UIDs (a job's {@link OutputUids}, the same when the job runs
     *             again), or null for new ones
     */
    public Outcome run(CtSeries series, LiverPredictor predictor, Path segFile, OutputUids uids, IntConsumer onProgress)
            throws IOException {
        return run(series, predictor, predictor, k -> null, segFile, uids, onProgress);
    }

    /**
     * @param network the network to run ({@code predictor} itself, or shared with the segmentation on arrival)
     * @param known   slice k's mask predicted on arrival with this pipeline's {@link #sliceSegmenter}, or null
     */
    public Outcome run(CtSeries series, LiverPredictor predictor, SliceModel network, IntFunction<byte[]> known,
                       Path segFile, OutputUids uids, IntConsumer onProgress) throws IOException {
        long t0 = System.nanoTime();
        SeriesSegmenter.Result result = new SeriesSegmenter(sliceSegmenter(predictor.card(), network), batchSize)
                .segment(series, known, onProgress);
        long t1 = System.nanoTime();
        ModelCard card = predictor.card();
        SegmentationWriter.Builder builder = SegmentationWriter.builder()
                .setSourceImages(series.headers())
                .optSourceFrames(sourceFrames(series))
                .setMasks(Arrays.asList(result.masks()))
                .setAlgorithm(card.name(), card.version())
                .setSeriesNumber(seriesNumber)
                .setSeriesDescription(seriesDescription)
                .setSoftwareVersion(softwareVersion)
                .optOmitEmptyFrames(omitEmptyFrames);
        if (uids != null) {
            builder.optUids(uids.seriesInstanceUid(), uids.sopInstanceUid());
        }
        SegmentationWriter writer = builder.build();
        writer.write(segFile);
        long t2 = System.nanoTime();
        return new Outcome(series.sliceCount(), writer.frameCount(), result.liverVoxels(), result.liverMl(),
                writer.seriesInstanceUid(), writer.sopInstanceUid(), card.name() + " " + card.version(),
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, result.masks());
    }
}
