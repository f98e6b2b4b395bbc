package org.livernode.dicom.overlay;

/** The outline of a binary mask: its pixels with a 4-neighbour outside the mask (or on the image's edge). */
public final class LiverOutline {

    private LiverOutline() {
    }

    /** @param mask rows*columns values, non-zero = inside */
    public static boolean[] of(byte[] mask, int rows, int columns) {
        boolean[] outline = new boolean[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int i = r * columns + c;
                if (mask[i] == 0) {
                    continue;
                }
                outline[i] = r == 0 || c == 0 || r == rows - 1 || c == columns - 1
                        || mask[i - columns] == 0 || mask[i + columns] == 0 || mask[i - 1] == 0 || mask[i + 1] == 0;
            }
        }
        return outline;
    }
}
