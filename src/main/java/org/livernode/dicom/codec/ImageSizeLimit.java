package org.livernode.dicom.codec;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import java.util.Locale;
import java.util.Optional;

/**
 * The largest image the node decodes, checked on the declared Rows, Columns, Number of Frames and Bits Allocated
 * before any pixel is decoded: a compressed file can declare far more pixels than it holds (a decompression bomb:
 * a 12-slice RLE series declaring 30000x30000 took the node to 6 GB), and PixelMed's own arithmetic overflows on
 * sizes like 65535x65535. No CT or SEG comes near these limits.
 */
public final class ImageSizeLimit {

    /** Rows and Columns at most this (CT is 512 to 2048). */
    public static final int MAX_ROWS_OR_COLUMNS = 8192;
    /** Decoded bytes of one file at most this (1 GiB: an Enhanced CT of 2000 frames of 512x512 is 1 GB). */
    public static final long MAX_DECODED_BYTES = 1L << 30;

    private ImageSizeLimit() {
    }

    /** Why an image of this declared size is not decoded, or empty when it is within the limits. */
    public static Optional<String> refusal(int rows, int columns, int frames, int bitsAllocated, int samplesPerPixel) {
        long bytes = (long) rows * columns * Math.max(1, frames) * Math.max(1, samplesPerPixel)
                * Math.max(1, (bitsAllocated + 7) / 8);
        String size = rows + "x" + columns + " pixels x " + Math.max(1, frames) + " frame(s) x " + samplesPerPixel
                + " sample(s) of " + bitsAllocated + " bits";
        if (rows > MAX_ROWS_OR_COLUMNS || columns > MAX_ROWS_OR_COLUMNS) {
            return Optional.of("rule 'Rows and Columns at most " + MAX_ROWS_OR_COLUMNS + "' failed: the header declares "
                    + size + " (" + gib(bytes) + " decoded); not decoded");
        }
        if (bytes > MAX_DECODED_BYTES) {
            return Optional.of("rule 'at most " + gib(MAX_DECODED_BYTES) + " of decoded pixels per file' failed: the "
                    + "header declares " + size + " (" + gib(bytes) + "); not decoded");
        }
        return Optional.empty();
    }

    /** {@link #refusal(int, int, int, int, int)} of the sizes a header declares. */
    public static Optional<String> refusal(AttributeList header) {
        return refusal(Attribute.getSingleIntegerValueOrDefault(header, TagFromName.Rows, 0),
                Attribute.getSingleIntegerValueOrDefault(header, TagFromName.Columns, 0),
                Attribute.getSingleIntegerValueOrDefault(header, TagFromName.NumberOfFrames, 1),
                Attribute.getSingleIntegerValueOrDefault(header, TagFromName.BitsAllocated, 16),
                Attribute.getSingleIntegerValueOrDefault(header, TagFromName.SamplesPerPixel, 1));
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
}
