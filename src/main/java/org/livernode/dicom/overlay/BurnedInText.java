package org.livernode.dicom.overlay;

import java.util.Map;

/**
 * Burns short lines of text into a 16-bit image with a 5x7 pixel font (scaled up for large images), on a dark box
 * so that it reads on any tissue. Only the characters the overlay writes are defined; another one is refused.
 */
final class BurnedInText {

    static final int GLYPH_WIDTH = 5;
    static final int GLYPH_HEIGHT = 7;
    /** Rows of each glyph, top to bottom; '#' is ink. */
    private static final Map<Character, String[]> GLYPHS = Map.ofEntries(
            glyph('0', " ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "),
            glyph('1', "  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
            glyph('2', " ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"),
            glyph('3', "#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "),
            glyph('4', "   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "),
            glyph('5', "#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "),
            glyph('6', "  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "),
            glyph('7', "#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "),
            glyph('8', " ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "),
            glyph('9', " ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "),
            glyph('.', "     ", "     ", "     ", "     ", "     ", " ##  ", " ##  "),
            glyph(' ', "     ", "     ", "     ", "     ", "     ", "     ", "     "),
            glyph('A', " ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"),
            glyph('D', "#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### "),
            glyph('E', "#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"),
            glyph('F', "#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    "),
            glyph('G', " ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####"),
            glyph('I', " ### ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
            glyph('L', "#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"),
            glyph('N', "#   #", "##  #", "# # #", "#  ##", "#   #", "#   #", "#   #"),
            glyph('O', " ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
            glyph('R', "#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"),
            glyph('S', " ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "),
            glyph('T', "#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "),
            glyph('V', "#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  "),
            glyph('m', "     ", "     ", "## # ", "# # #", "# # #", "#   #", "#   #"),
            glyph('l', " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "));

    private BurnedInText() {
    }

    private static Map.Entry<Character, String[]> glyph(char c, String... rows) {
        return Map.entry(c, rows);
    }

    /** Whether every character of {@code text} has a glyph. */
    static boolean canWrite(String text) {
        return text.chars().allMatch(c -> GLYPHS.containsKey((char) c));
    }

    /** The box (margin included) that {@link #draw} covers: width and height in pixels. */
    static int[] boxSize(String[] lines, int scale) {
        int longest = 0;
        for (String line : lines) {
            longest = Math.max(longest, line.length());
        }
        return new int[] {(longest * (GLYPH_WIDTH + 1) + 1) * scale, (lines.length * (GLYPH_HEIGHT + 2)) * scale};
    }

    /**
     * Draws {@code lines} at the top left corner of a rows x columns image: the box in {@code background}, the
     * glyphs in {@code ink}; what does not fit the image is cut off.
     */
    static void draw(short[] pixels, int rows, int columns, String[] lines, int scale, short ink, short background) {
        int[] box = boxSize(lines, scale);
        for (int r = 0; r < Math.min(rows, box[1]); r++) {
            for (int c = 0; c < Math.min(columns, box[0]); c++) {
                pixels[r * columns + c] = background;
            }
        }
        for (int l = 0; l < lines.length; l++) {
            int top = (l * (GLYPH_HEIGHT + 2) + 1) * scale;
            for (int i = 0; i < lines[l].length(); i++) {
                String[] glyph = GLYPHS.get(lines[l].charAt(i));
                int left = (i * (GLYPH_WIDTH + 1) + 1) * scale;
                for (int gy = 0; gy < GLYPH_HEIGHT; gy++) {
                    for (int gx = 0; gx < GLYPH_WIDTH; gx++) {
                        if (glyph[gy].charAt(gx) != '#') {
                            continue;
                        }
                        for (int dy = 0; dy < scale; dy++) {
                            for (int dx = 0; dx < scale; dx++) {
                                int r = top + gy * scale + dy;
                                int c = left + gx * scale + dx;
                                if (r < rows && c < columns) {
                                    pixels[r * columns + c] = ink;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
