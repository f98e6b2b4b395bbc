package org.livernode.dicom.seg;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

/**
 * The stored values of a Segmentation's native Pixel Data, frame by frame: 1-bit packed for BINARY, 8 or 16-bit
 * label values (Segment Numbers) for LABELMAP (PS3.3 C.8.20.2.3). Encapsulated (compressed) Pixel Data is refused.
 */
final class SegmentationPixels {
    private final byte[] bytes;
    private final int bitsAllocated;
    private final int pixelsPerFrame;

    private SegmentationPixels(byte[] bytes, int bitsAllocated, int pixelsPerFrame) {
        this.bytes = bytes;
        this.bitsAllocated = bitsAllocated;
        this.pixelsPerFrame = pixelsPerFrame;
    }

    /**
     * @param labelMap true for LABELMAP (Bits Allocated 8 or 16), false for BINARY (Bits Allocated 1)
     */
    static SegmentationPixels of(AttributeList seg, boolean labelMap, int rows, int columns, int frames, String where) {
        int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.BitsAllocated, -1);
        if (!labelMap && bitsAllocated != 1) {
            throw new SegmentationException(where + ": BitsAllocated must be 1 for BINARY, found " + bitsAllocated);
        }
        if (labelMap && bitsAllocated != 8 && bitsAllocated != 16) {
            throw new SegmentationException(where + ": BitsAllocated must be 8 or 16 for LABELMAP, found " + bitsAllocated);
        }
        int pixelRepresentation = Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.PixelRepresentation, 0);
        if (pixelRepresentation != 0) {
            throw new SegmentationException(where + ": PixelRepresentation must be 0 (unsigned), found " + pixelRepresentation);
        }
        Attribute pixelData = seg.get(TagFromName.PixelData);
        if (pixelData == null) {
            throw new SegmentationException(where + ": PixelData is required, found none");
        }
        if (pixelData instanceof com.pixelmed.dicom.OtherByteAttributeMultipleCompressedFrames
                || pixelData instanceof com.pixelmed.dicom.OtherByteAttributeCompressedSeparateFramesOnDisk) {
            throw new SegmentationException(where + ": PixelData must be native (uncompressed), found encapsulated frames");
        }
        byte[] bytes;
        try {
            // Little endian byte order (16-bit labels as PS3.5 encodes them natively; 8-bit ones as stored).
            bytes = pixelData.getByteValues(false);
        } catch (DicomException e) {
            throw new SegmentationException(where + ": cannot read PixelData: " + e.getMessage(), e);
        }
        long pixels = (long) rows * columns;
        long neededBits = pixels * frames * bitsAllocated;
        if ((long) bytes.length * 8 < neededBits) {
            throw new SegmentationException(where + ": Pixel Data must hold " + neededBits + " bits for " + frames
                    + " frames of " + rows + "x" + columns + " at " + bitsAllocated + " bits, found " + bytes.length + " bytes");
        }
        return new SegmentationPixels(bytes, bitsAllocated, (int) pixels);
    }

    /** The stored value of pixel {@code i} (row-major) of 0-based frame {@code f}. */
    int value(int f, int i) {
        long index = (long) f * pixelsPerFrame + i;
        return switch (bitsAllocated) {
            case 1 -> (bytes[(int) (index >>> 3)] >> (index & 7)) & 1;
            case 8 -> bytes[(int) index] & 0xff;
            default -> {
                int lo = bytes[(int) (2 * index)] & 0xff;
                yield ((bytes[(int) (2 * index + 1)] & 0xff) << 8) | lo;
            }
        };
    }
}
