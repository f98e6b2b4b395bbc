package org.livernode.dicom.overlay;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The overlay image's pixels: the source's HU with the liver outline and the volume text burned in. */
final class BurnedInPixels {

    private BurnedInPixels() {
    }

    /** Text scale: the 5x7 font doubled from 512 columns on, so it stays readable on a full image. */
    static int scale(int columns) {
        return Math.max(1, columns / 256);
    }

    static String[] text(double volumeMl) {
        String ml = BigDecimal.valueOf(volumeMl).setScale(1, RoundingMode.HALF_UP).toPlainString();
        return new String[] {"LIVER " + ml + " mL", "NOT FOR DIAGNOSIS"};
    }

    /** The source's HU (rounded, within the 16-bit range), the outline in INK, then the text in the top left. */
    static short[] burn(float[] hu, byte[] mask, int rows, int columns, double volumeMl) {
        short[] out = new short[hu.length];
        boolean[] outline = LiverOutline.of(mask, rows, columns);
        for (int i = 0; i < hu.length; i++) {
            float v = Float.isFinite(hu[i]) ? hu[i] : OverlayImageWriter.TEXT_BACKGROUND;
            out[i] = outline[i] ? OverlayImageWriter.INK
                    : (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
        }
        BurnedInText.draw(out, rows, columns, text(volumeMl), scale(columns), OverlayImageWriter.INK,
                OverlayImageWriter.TEXT_BACKGROUND);
        return out;
    }
}
