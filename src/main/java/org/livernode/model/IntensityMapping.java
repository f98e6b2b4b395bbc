package org.livernode.model;

/**
 * How HU become network input, stored in the model card and applied from there (a 50 HU shift costs 8-12 Dice
 * points). {@value #HU_WINDOW_TO_UNIT}: clip HU to [windowLowHu, windowHighHu], then map linearly to [0, 1].
 */
public record IntensityMapping(String name, double windowLowHu, double windowHighHu) {

    public static final String HU_WINDOW_TO_UNIT = "hu-window-to-unit";

    public IntensityMapping {
        if (!HU_WINDOW_TO_UNIT.equals(name)) {
            throw new IllegalArgumentException("intensity mapping name must be " + HU_WINDOW_TO_UNIT + ", found " + name);
        }
        if (!(windowHighHu > windowLowHu)) {
            throw new IllegalArgumentException("windowHighHu must be > windowLowHu, found [" + windowLowHu + ", " + windowHighHu + "]");
        }
    }

    /** The mapping of the lits-slices training data: HU clipped to [0, 255], divided by 255. */
    public static IntensityMapping litsSlices() {
        return new IntensityMapping(HU_WINDOW_TO_UNIT, 0, 255);
    }

    public float apply(float hu) {
        double clipped = Math.min(windowHighHu, Math.max(windowLowHu, hu));
        return (float) ((clipped - windowLowHu) / (windowHighHu - windowLowHu));
    }

    public void apply(float[] hu, float[] out, int offset) {
        for (int i = 0; i < hu.length; i++) {
            out[offset + i] = apply(hu[i]);
        }
    }
}
