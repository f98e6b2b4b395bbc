package org.livernode.api.dicomweb;

import org.livernode.dicom.codec.PixelDecoding;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttributeMultipleCompressedFrames;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The frames of one stored instance's Pixel Data, either as stored (the encapsulated bytes of each frame of
 * a compressed transfer syntax) or native: uncompressed little endian, decoded by {@link PixelDecoding} when stored
 * compressed. Frames of 1-bit data (SEG) are
 * packed bits, Rows x Columns bits per frame, least significant bit first, as in the data set.
 */
final class PixelFrames {
    private final int frames;
    private final long frameBits;
    private final byte[] nativeBytes;
    private final byte[][] encapsulated;

    private PixelFrames(int frames, long frameBits, byte[] nativeBytes, byte[][] encapsulated) {
        this.frames = frames;
        this.frameBits = frameBits;
        this.nativeBytes = nativeBytes;
        this.encapsulated = encapsulated;
    }

    /**
     * @param asStored keep compressed frames as stored (true) or decode them to native bytes (false);
     *                 uncompressed data is native either way
     */
    static PixelFrames read(Path file, String transferSyntaxUid, boolean asStored) throws IOException, DicomException {
        boolean compressed = TransferSyntax.isEncapsulated(transferSyntaxUid);
        AttributeList list;
        if (compressed && !asStored) {
            list = PixelDecoding.readDecoded(file, transferSyntaxUid);
        } else {
            list = new AttributeList();
            list.setDecompressPixelData(false);
            list.read(file.toFile());
        }
        Attribute pixels = list.get(TagFromName.PixelData);
        if (pixels == null) {
            throw new DicomException("the instance has no Pixel Data (7FE0,0010)");
        }
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        int samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        int bits = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 16);
        int frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1));
        long frameBits = (long) rows * columns * samples * bits;
        if (compressed && asStored) {
            if (!(pixels instanceof OtherByteAttributeMultipleCompressedFrames c)) {
                throw new DicomException("compressed Pixel Data was not read as frames");
            }
            return new PixelFrames(frames, frameBits, null, c.getFrames());
        }
        return new PixelFrames(frames, frameBits, BinaryValue.bytes(pixels), null);
    }

    int count() {
        return frames;
    }

    /**
     * The parts WADO-RS sends: the given frames (1-based, each checked by the caller against {@link #count()}),
     * or with none the whole Pixel Data, one part per frame when encapsulated and one native part otherwise.
     */
    List<byte[]> parts(int... numbers) {
        if (numbers.length == 0) {
            if (encapsulated == null) {
                return List.of(nativeBytes);
            }
            numbers = IntStream.rangeClosed(1, frames).toArray();
        }
        List<byte[]> out = new ArrayList<>(numbers.length);
        for (int n : numbers) {
            out.add(frame(n));
        }
        return out;
    }

    private byte[] frame(int n) {
        if (n < 1 || n > frames) {
            throw new IndexOutOfBoundsException("frame number must be in [1, " + frames + "], found " + n);
        }
        if (encapsulated != null) {
            return encapsulated[n - 1];
        }
        long startBit = (n - 1) * frameBits;
        int length = (int) ((frameBits + 7) / 8);
        byte[] out = new byte[length];
        int startByte = (int) (startBit / 8);
        int shift = (int) (startBit % 8);
        if (shift == 0) {
            System.arraycopy(nativeBytes, startByte, out, 0, Math.min(length, nativeBytes.length - startByte));
            return out;
        }
        // 1-bit frames need not start on a byte: realign so the frame's first bit is bit 0 of byte 0.
        for (int i = 0; i < length; i++) {
            int lo = byteAt(startByte + i) >>> shift;
            int hi = byteAt(startByte + i + 1) << (8 - shift);
            out[i] = (byte) (lo | hi);
        }
        int tailBits = (int) (frameBits % 8);
        if (tailBits != 0) {
            out[length - 1] &= (byte) ((1 << tailBits) - 1);
        }
        return out;
    }

    private int byteAt(int i) {
        return i < nativeBytes.length ? nativeBytes[i] & 0xff : 0;
    }
}
