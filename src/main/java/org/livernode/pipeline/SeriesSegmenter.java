package org.livernode.pipeline;

import org.livernode.model.LiverPredictor;
import org.livernode.volume.CtSeries;
import org.livernode.volume.Resampling;
import org.jboss.logging.Logger;

import java.util.function.IntConsumer;

/**
 * Segments the liver in a whole CT series with a loaded model, streaming slices in batches so memory stays
 * bounded for long series: only the binary masks of the whole series are held, never a float copy of it.
 * Each slice is padded to a square with air, resized to the model's input size, predicted, and the
 * probability resized back to the slice's own grid; the 3D mask is then cleaned up ({@link LiverPostprocessing})
 * with slices joined only where the series has no gap, and the volume sums each slice's own thickness.
 */
public final class SeriesSegmenter {

    private static final Logger LOG = Logger.getLogger(SeriesSegmenter.class);
    /** Padding value: air, which every CT window maps to the background. */
    private static final float AIR_HU = -1024f;

    private final LiverPredictor predictor;
    private final int batchSize;
    private final double threshold;

    public SeriesSegmenter(LiverPredictor predictor, int batchSize, double threshold) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, found " + batchSize);
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be between 0 and 1 (exclusive), found " + threshold);
        }
        this.predictor = predictor;
        this.batchSize = batchSize;
        this.threshold = threshold;
    }

    /** The liver mask of every slice, in the series' volume order, and the liver volume. */
    public record Result(byte[][] masks, long liverVoxels, double liverMl) {
    }

    /**
     * @param series     the validated series
     * @param onProgress called with the number of slices done after each batch
     */
    public Result segment(CtSeries series, IntConsumer onProgress) {
        int rows = series.rows();
        int columns = series.columns();
        int side = Math.max(rows, columns);
        int input = predictor.card().inputSize();
        int slices = series.sliceCount();
        byte[][] masks = new byte[slices][];
        for (int start = 0; start < slices; start += batchSize) {
            int n = Math.min(batchSize, slices - start);
            float[][] batch = new float[n][];
            for (int b = 0; b < n; b++) {
                float[] square = padToSquare(series.sliceHu(start + b), rows, columns, side);
                batch[b] = Resampling.bilinear(square, side, side, input, input);
            }
            float[][] probability = predictor.liverProbability(batch);
            for (int b = 0; b < n; b++) {
                float[] back = Resampling.bilinear(probability[b], input, input, side, side);
                masks[start + b] = threshold(back, rows, columns, side);
            }
            onProgress.accept(start + n);
        }
        boolean[] touchesNext = new boolean[slices];
        for (int k = 0; k < slices; k++) {
            touchesNext[k] = series.touchesNext(k);
        }
        long voxels = LiverPostprocessing.apply(masks, rows, columns, touchesNext);
        double ml = 0; // each slice's own thickness: uneven spacing and gaps are not a regular grid
        for (int k = 0; k < slices; k++) {
            long inSlice = 0;
            for (byte b : masks[k]) {
                inSlice += b;
            }
            ml += inSlice * series.voxelVolumeMl(k);
        }
        LOG.debugf("segmented %d slices: %d liver voxels, %.1f mL", (Object) slices, voxels, ml);
        return new Result(masks, voxels, ml);
    }

    /** Centres the slice in a square of air, as the training slices were padded before resizing. */
    static float[] padToSquare(float[] slice, int rows, int columns, int side) {
        if (rows == side && columns == side) {
            return slice;
        }
        float[] square = new float[side * side];
        java.util.Arrays.fill(square, AIR_HU);
        int top = (side - rows) / 2;
        int left = (side - columns) / 2;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(slice, r * columns, square, (top + r) * side + left, columns);
        }
        return square;
    }

    /** Crops the square probability back to the slice and thresholds it. */
    private byte[] threshold(float[] square, int rows, int columns, int side) {
        int top = (side - rows) / 2;
        int left = (side - columns) / 2;
        byte[] mask = new byte[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                mask[r * columns + c] = square[(top + r) * side + left + c] >= threshold ? (byte) 1 : 0;
            }
        }
        return mask;
    }
}
