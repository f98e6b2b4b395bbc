package org.livernode.pipeline;

import org.jboss.logging.Logger;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.overlay.OverlayImageWriter;
import org.livernode.dicom.sr.MeasurementReportWriter;
import org.livernode.model.ModelCard;
import org.livernode.volume.CtSeries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The objects a job derives from its SEG besides the SEG itself: the TID 1500 report (SR) and the overlay series,
 * written in one pass over the CT slices, which also gives the HU statistics inside the liver. Their UIDs come from
 * the job ({@link OutputUids}), so a job run again writes the same objects and a resend replaces them.
 */
public final class DerivedObjects {

    private static final Logger LOG = Logger.getLogger(DerivedObjects.class);

    /** The job that the objects belong to. */
    public record JobKey(String sourceSeriesUid, long jobId, Instant queuedAt) {
        OutputUids uids(OutputUids.Kind kind) {
            return OutputUids.of(kind, sourceSeriesUid, jobId, queuedAt);
        }
    }

    /** Mean and (population) standard deviation of the HU inside the mask, over {@code voxels} voxels. */
    public record HuStatistics(double mean, double standardDeviation, long voxels) {
    }

    /** What was written: per kind its series and files (in the given directory, to be stored by the caller). */
    public record Written(OutputUids.Kind kind, String seriesInstanceUid, List<String> sopInstanceUids, List<Path> files) {
    }

    public record Result(HuStatistics hu, List<Written> written) {
    }

    private final LivernodeConfig config;
    private final String softwareVersion;

    public DerivedObjects(LivernodeConfig config, String softwareVersion) {
        this.config = config;
        this.softwareVersion = softwareVersion;
    }

    /**
     * @param kinds what to write of SR and OVERLAY (SEG is the caller's)
     * @param dir   where the files go (the store's incoming directory)
     */
    public Result write(CtSeries ct, SegmentationPipeline.Outcome seg, ModelCard model, Set<OutputUids.Kind> kinds,
                        JobKey job, Path dir) throws IOException {
        boolean overlay = kinds.contains(OutputUids.Kind.OVERLAY);
        OutputUids overlayUids = job.uids(OutputUids.Kind.OVERLAY);
        List<Path> made = new ArrayList<>();
        List<Path> overlayFiles = new ArrayList<>();
        List<String> overlaySops = new ArrayList<>();
        byte[][] masks = seg.masks();
        double sum = 0;
        double sumOfSquares = 0;
        long voxels = 0;
        try {
            for (int k = 0; k < ct.sliceCount(); k++) {
                boolean liver = hasLiver(masks[k]);
                if (!liver && !overlay) {
                    continue; // nothing to measure and nothing to draw: no need to decode the slice
                }
                float[] hu = ct.sliceHu(k);
                for (int i = 0; i < hu.length; i++) {
                    if (masks[k][i] != 0) {
                        sum += hu[i];
                        sumOfSquares += (double) hu[i] * hu[i];
                        voxels++;
                    }
                }
                if (overlay) {
                    String source = ct.sopInstanceUids().get(k);
                    OverlayImageWriter image = OverlayImageWriter.builder().setSourceImage(ct.headers().get(k)).setHu(hu)
                            .setMask(masks[k]).setVolumeMl(rounded(seg.liverMl()))
                            .setSeriesNumber(config.overlay().seriesNumber())
                            .setSeriesDescription(config.overlay().seriesDescription())
                            .optWindow(config.overlay().windowCenter(), config.overlay().windowWidth())
                            .setInstanceNumber(k + 1).setSoftwareVersion(softwareVersion).optModel(seg.model())
                            .optUids(overlayUids.seriesInstanceUid(), overlayUids.instanceFor(source)).build();
                    Path file = Files.createTempFile(dir, "overlay-job-" + job.jobId() + "-", ".part");
                    made.add(file);
                    overlayFiles.add(file);
                    image.write(file);
                    overlaySops.add(image.sopInstanceUid());
                }
            }
            double mean = voxels == 0 ? Double.NaN : sum / voxels;
            double sd = voxels == 0 ? Double.NaN : Math.sqrt(Math.max(0, sumOfSquares / voxels - mean * mean));
            HuStatistics hu = new HuStatistics(mean, sd, voxels);
            List<Written> written = new ArrayList<>();
            if (kinds.contains(OutputUids.Kind.SR)) {
                OutputUids srUids = job.uids(OutputUids.Kind.SR);
                MeasurementReportWriter sr = MeasurementReportWriter.builder().setSourceImages(ct.headers())
                        .setSegmentation(seg.segSeriesInstanceUid(), seg.segSopInstanceUid(), 1)
                        .setVolumeMl(rounded(seg.liverMl())).setHuStatistics(rounded(mean), rounded(sd))
                        .setAlgorithm(model.name(), model.version()).setDeviceObserverName(config.dicom().aeTitle())
                        .setSeriesNumber(config.sr().seriesNumber()).setSeriesDescription(config.sr().seriesDescription())
                        .setSoftwareVersion(softwareVersion).optUids(srUids.seriesInstanceUid(), srUids.sopInstanceUid())
                        .build();
                Path file = Files.createTempFile(dir, "sr-job-" + job.jobId() + "-", ".part");
                made.add(file);
                sr.write(file);
                written.add(new Written(OutputUids.Kind.SR, sr.seriesInstanceUid(), List.of(sr.sopInstanceUid()), List.of(file)));
            }
            if (overlay) {
                written.add(new Written(OutputUids.Kind.OVERLAY, overlayUids.seriesInstanceUid(), overlaySops, overlayFiles));
            }
            LOG.infof("%s: liver HU mean %.1f, SD %.1f over %d voxels; wrote %s", job.sourceSeriesUid(), mean, sd, voxels,
                    written.stream().map(w -> w.files().size() + " " + w.kind()).toList());
            return new Result(hu, written);
        } catch (IOException | RuntimeException e) {
            for (Path f : made) {
                Files.deleteIfExists(f);
            }
            throw e;
        }
    }

    /** The job's figures are kept to 0.1 (mL, HU), so the SR, the overlay and the job's result say the same. */
    public static double rounded(double v) {
        return Double.isFinite(v) ? Math.round(v * 10) / 10.0 : v;
    }

    private static boolean hasLiver(byte[] mask) {
        for (byte b : mask) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }
}
