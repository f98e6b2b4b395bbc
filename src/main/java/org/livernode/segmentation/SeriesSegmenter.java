package org.livernode.segmentation;

import org.jboss.logging.Logger;
import org.livernode.volume.CtSeries;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * Segments the liver in a whole CT series, streaming slices in batches so memory stays bounded for long series:
 * only the binary masks of the whole series are held, never a float copy of it. Each batch goes through
 * {@link SliceSegmenter} (the path {@code evaluate} scores); the 3D mask is then cleaned up ({@link LiverPostprocessing})
 * with slices joined only where the series has no gap, and the volume sums each slice's own thickness.
 */
public final class SeriesSegmenter {

    private static final Logger LOG = Logger.getLogger(SeriesSegmenter.class);

    private final SliceSegmenter slices;
    private final int batchSize;

    public SeriesSegmenter(SliceSegmenter slices, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, found " + batchSize);
        }
        this.slices = slices;
        this.batchSize = batchSize;
    }

    /** The liver mask of every slice, in the series' volume order, and the liver volume. */
    public record Result(byte[][] masks, long liverVoxels, double liverMl) {
    }

    /**
     * @param series     the validated series
     * @param onProgress called with the number of slices done after each batch
     */
    public Result segment(CtSeries series, IntConsumer onProgress) {
        return segment(series, k -> null, onProgress);
    }

    /**
     * @param known the mask of slice k already predicted (on arrival, by the same {@link SliceSegmenter} rule), or
     *              null; only the other slices are predicted here, in batches
     */
    public Result segment(CtSeries series, IntFunction<byte[]> known, IntConsumer onProgress) {
        int rows = series.rows();
        int columns = series.columns();
        int count = series.sliceCount();
        byte[][] masks = new byte[count][];
        List<Integer> missing = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            masks[k] = known.apply(k);
            if (masks[k] == null) {
                missing.add(k);
            }
        }
        if (missing.size() < count) {
            LOG.debugf("%d of %d slices segmented on arrival", count - missing.size(), count);
        }
        for (int start = 0; start < missing.size(); start += batchSize) {
            int n = Math.min(batchSize, missing.size() - start);
            float[][] batch = new float[n][];
            for (int b = 0; b < n; b++) {
                batch[b] = series.sliceHu(missing.get(start + b));
            }
            byte[][] predicted = slices.masks(batch, rows, columns);
            for (int b = 0; b < n; b++) {
                masks[missing.get(start + b)] = predicted[b];
            }
            onProgress.accept(count - missing.size() + start + n);
        }
        boolean[] touchesNext = new boolean[count];
        for (int k = 0; k < count; k++) {
            touchesNext[k] = series.touchesNext(k);
        }
        long voxels = LiverPostprocessing.apply(masks, rows, columns, touchesNext);
        double ml = series.maskVolumeMl(masks); // each slice's own thickness: uneven spacing and gaps are no regular grid
        LOG.debugf("segmented %d slices: %d liver voxels, %.1f mL", (Object) count, voxels, ml);
        return new Result(masks, voxels, ml);
    }
}
