package org.livernode.segmentation;

import org.livernode.model.ModelCard;
import org.livernode.model.SliceModel;
import org.livernode.volume.Resampling;

import java.util.Arrays;
import java.util.Optional;

/**
 * The one way CT slices become liver masks, for the node, {@code segment}, {@code evaluate} and training's
 * validation alike: each slice is centred in a square of air, resized bilinearly to the model's input size,
 * mapped and predicted ({@link SliceModel}), its probability resized back and cropped to the slice, and a pixel
 * is liver when its probability is at or above the threshold. The 3D clean-up comes after, on the whole stack
 * ({@link LiverPostprocessing}).
 */
public final class SliceSegmenter {

    /** Padding value: air, which every CT window maps to the background. */
    static final float AIR_HU = -1024f;

    private final SliceModel model;
    private final double threshold;

    public SliceSegmenter(SliceModel model, double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be between 0 and 1 (exclusive), found " + threshold);
        }
        this.model = model;
        this.threshold = threshold;
    }

    /** The model card's threshold unless a setting overrides it. */
    public static double threshold(ModelCard card, Optional<Double> override) {
        return override.orElse((double) card.threshold());
    }

    public double threshold() {
        return threshold;
    }

    /**
     * @param huSlices slices of rows x columns HU, row-major, predicted together (one batch of the model's)
     * @return one mask per slice, 1 = liver, before the clean-up
     */
    public byte[][] masks(float[][] huSlices, int rows, int columns) {
        int side = Math.max(rows, columns);
        int input = model.inputSize();
        float[][] batch = new float[huSlices.length][];
        for (int k = 0; k < huSlices.length; k++) {
            if (huSlices[k].length != rows * columns) {
                throw new IllegalArgumentException("slice " + k + " must have rows*columns = " + rows * columns
                        + " pixels, found " + huSlices[k].length);
            }
            batch[k] = Resampling.bilinear(padToSquare(huSlices[k], rows, columns, side), side, side, input, input);
        }
        float[][] probability = model.liverProbability(batch);
        byte[][] masks = new byte[huSlices.length][];
        for (int k = 0; k < huSlices.length; k++) {
            float[] back = Resampling.bilinear(probability[k], input, input, side, side);
            masks[k] = cropAndThreshold(back, rows, columns, side);
        }
        return masks;
    }

    /** Centres the slice in a square of air, as the training slices were padded before resizing. */
    static float[] padToSquare(float[] slice, int rows, int columns, int side) {
        if (rows == side && columns == side) {
            return slice;
        }
        float[] square = new float[side * side];
        Arrays.fill(square, AIR_HU);
        int top = (side - rows) / 2;
        int left = (side - columns) / 2;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(slice, r * columns, square, (top + r) * side + left, columns);
        }
        return square;
    }

    /** Crops the square probability back to the slice and thresholds it. */
    private byte[] cropAndThreshold(float[] square, int rows, int columns, int side) {
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
