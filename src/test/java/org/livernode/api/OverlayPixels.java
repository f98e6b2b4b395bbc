package org.livernode.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a SEG frame's mask should and should not colour a screenshot of the viewer. Image pixels are mapped to
 * page pixels with the affine map the browser reported ({@code origin + column*colStep + row*rowStep}); a page
 * pixel "changed" when its colour differs between the screenshot without the SEG and the one with it.
 *
 * <ul>
 *   <li>liver: every 4th pixel of the mask's interior (3 pixels in from its edge, clear of the outline);</li>
 *   <li>elsewhere: every 8th pixel farther than 8 pixels from the mask;</li>
 *   <li>mirrored: the liver sample mirrored left-right, where that is farther than 8 pixels from the mask
 *       (a SEG shown flipped would colour these).</li>
 * </ul>
 */
record OverlayPixels(int liver, int liverChanged, int elsewhere, int elsewhereChanged, int mirrored, int mirroredChanged) {
    /** Sum of |dR|+|dG|+|dB| above which two screenshot pixels differ (the overlay's fill shifts liver by ~100). */
    static final int CHANGED = 30;

    static OverlayPixels compare(byte[] mask, int rows, int columns, JsonNode map, BufferedImage before, BufferedImage after) {
        boolean[] inner = erode(mask, rows, columns, 3);
        boolean[] near = dilate(mask, rows, columns, 8);
        int[] liver = new int[2];
        int[] elsewhere = new int[2];
        int[] mirrored = new int[2];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int i = r * columns + c;
                if (inner[i] && r % 4 == 0 && c % 4 == 0) {
                    count(liver, changed(map, c, r, before, after));
                    int m = columns - 1 - c;
                    if (!near[r * columns + m]) {
                        count(mirrored, changed(map, m, r, before, after));
                    }
                }
                if (!near[i] && r % 8 == 0 && c % 8 == 0) {
                    count(elsewhere, changed(map, c, r, before, after));
                }
            }
        }
        return new OverlayPixels(liver[0], liver[1], elsewhere[0], elsewhere[1], mirrored[0], mirrored[1]);
    }

    double liverChangedFraction() {
        return liver == 0 ? 0 : (double) liverChanged / liver;
    }

    double elsewhereChangedFraction() {
        return elsewhere == 0 ? 0 : (double) elsewhereChanged / elsewhere;
    }

    double mirroredChangedFraction() {
        return mirrored == 0 ? 0 : (double) mirroredChanged / mirrored;
    }

    /** Page pixels, as integer [x, y], that image pixel (column, row) covers the centre of. */
    static int[] page(JsonNode map, double column, double row) {
        double x = map.path("origin").get(0).asDouble() + column * map.path("colStep").get(0).asDouble()
                + row * map.path("rowStep").get(0).asDouble();
        double y = map.path("origin").get(1).asDouble() + column * map.path("colStep").get(1).asDouble()
                + row * map.path("rowStep").get(1).asDouble();
        return new int[]{(int) Math.floor(x), (int) Math.floor(y)};
    }

    /** Null when the pixel falls outside the screenshot (not counted). */
    private static Boolean changed(JsonNode map, int column, int row, BufferedImage before, BufferedImage after) {
        int[] p = page(map, column, row);
        if (p[0] < 0 || p[1] < 0 || p[0] >= before.getWidth() || p[1] >= before.getHeight()) {
            return null;
        }
        int a = before.getRGB(p[0], p[1]);
        int b = after.getRGB(p[0], p[1]);
        int diff = Math.abs(((a >> 16) & 255) - ((b >> 16) & 255)) + Math.abs(((a >> 8) & 255) - ((b >> 8) & 255))
                + Math.abs((a & 255) - (b & 255));
        return diff > CHANGED;
    }

    private static void count(int[] counter, Boolean changed) {
        if (changed != null) {
            counter[0]++;
            counter[1] += changed ? 1 : 0;
        }
    }

    /** Pixels whose whole (2r+1)-square neighbourhood is in the mask. */
    private static boolean[] erode(byte[] mask, int rows, int columns, int radius) {
        boolean[] out = new boolean[mask.length];
        for (int r = radius; r < rows - radius; r++) {
            for (int c = radius; c < columns - radius; c++) {
                out[r * columns + c] = all(mask, columns, r, c, radius);
            }
        }
        return out;
    }

    private static boolean all(byte[] mask, int columns, int r, int c, int radius) {
        for (int dr = -radius; dr <= radius; dr++) {
            for (int dc = -radius; dc <= radius; dc++) {
                if (mask[(r + dr) * columns + c + dc] == 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Pixels within {@code radius} (Chebyshev distance) of the mask. */
    private static boolean[] dilate(byte[] mask, int rows, int columns, int radius) {
        boolean[] horizontal = new boolean[mask.length];
        for (int r = 0; r < rows; r++) {
            List<Integer> on = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                if (mask[r * columns + c] != 0) {
                    on.add(c);
                }
            }
            for (int c0 : on) {
                for (int c = Math.max(0, c0 - radius); c <= Math.min(columns - 1, c0 + radius); c++) {
                    horizontal[r * columns + c] = true;
                }
            }
        }
        boolean[] out = new boolean[mask.length];
        for (int c = 0; c < columns; c++) {
            for (int r = 0; r < rows; r++) {
                if (horizontal[r * columns + c]) {
                    for (int rr = Math.max(0, r - radius); rr <= Math.min(rows - 1, r + radius); rr++) {
                        out[rr * columns + c] = true;
                    }
                }
            }
        }
        return out;
    }
}
