package org.livernode.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import org.livernode.dicom.codec.PixelDecoding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated CT series sorted along the slice normal (see {@link VolumeGeometry} for the index convention).
 * Holds only headers; pixel data is decoded one slice at a time by {@link #sliceHu(int)}, so series of
 * 1000+ slices are streamed rather than held in memory. Built by {@link CtSeriesReader}.
 *
 * <p>Each slice keeps its own position ({@link #position(int)}): a tilted stack is sheared, a series may have gaps
 * ({@link #touchesNext(int)} is false across one) and uneven spacing, so the 3D steps ask per slice. {@link
 * #geometry()} is the regular grid nearest to it (first slice, median spacing), exact for a regular untilted series.
 */
public final class CtSeries {

    private final int rows;
    private final int columns;
    private final VolumeGeometry geometry;
    private final List<SliceHeader> slices;
    private final SlicePositions positions;
    private final List<String> notes;
    /** The multi-frame file decoded last and its stored values ({@link #sliceHu}). */
    private Path decodedFile;
    private short[] decodedValues;

    CtSeries(int rows, int columns, VolumeGeometry geometry, List<SliceHeader> slices, SlicePositions positions,
             List<String> notes) {
        this.rows = rows;
        this.columns = columns;
        this.geometry = geometry;
        this.slices = List.copyOf(slices);
        this.positions = positions;
        this.notes = List.copyOf(notes);
    }

    /** Image Position Patient of slice k, as its header gives it. */
    public double[] position(int k) {
        return slice(k).position.clone();
    }

    /** The slice normal (row direction x column direction), the same for every slice. */
    public double[] normal() {
        return geometry.normal();
    }

    /** Slice k's position along the normal, mm. */
    public double alongNormal(int k) {
        return positions.alongNormal(k);
    }

    /** The thickness slice k stands for in a volume, mm along the normal (see {@link SlicePositions}). */
    public double sliceThickness(int k) {
        slice(k);
        return positions.thickness(k);
    }

    /** The volume of one voxel of slice k, mL: pixel spacing times {@link #sliceThickness(int)}. */
    public double voxelVolumeMl(int k) {
        return geometry.rowSpacing() * geometry.columnSpacing() * sliceThickness(k) / 1000.0;
    }

    /** The volume of a mask over the whole series (one mask per slice, nonzero = in), mL: each slice its own voxel volume. */
    public double maskVolumeMl(byte[][] masks) {
        if (masks.length != sliceCount()) {
            throw new IllegalArgumentException("one mask per slice is needed, found " + masks.length + " for " + sliceCount());
        }
        double ml = 0;
        for (int k = 0; k < masks.length; k++) {
            long inSlice = 0;
            for (byte b : masks[k]) {
                inSlice += b != 0 ? 1 : 0;
            }
            ml += inSlice * voxelVolumeMl(k);
        }
        return ml;
    }

    /** True when slice k and k+1 are neighbours in 3D (no gap between them). */
    public boolean touchesNext(int k) {
        slice(k);
        return positions.touchesNext(k);
    }

    /** What the reader accepted but a user should know: gaps, uneven spacing, slices left out and why. */
    public List<String> notes() {
        return notes;
    }

    /** SOP Class UID of slice k's instance. */
    public String sopClassUid(int k) {
        return slice(k).sopClassUid;
    }

    /** Slice Thickness as slice k's header (an Enhanced CT frame's Pixel Measures) states it, or NaN. */
    public double statedSliceThickness(int k) {
        double t = Attribute.getSingleDoubleValueOrDefault(slice(k).list, TagFromName.SliceThickness, Double.NaN);
        return t > 0 && Double.isFinite(t) ? t : Double.NaN;
    }

    /** The 1-based frame of an Enhanced CT source that slice k is, or 0 for a single-frame image. */
    public int frameNumber(int k) {
        return slice(k).frame;
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    public int sliceCount() {
        return slices.size();
    }

    public VolumeGeometry geometry() {
        return geometry;
    }

    /** Per-slice headers (without Pixel Data and private attributes) in volume order. Do not modify them. */
    public List<AttributeList> headers() {
        return slices.stream().map(s -> s.list).toList();
    }

    /**
     * SOP Instance UIDs in volume order (from the file meta header when the dataset's is empty); the frames of an
     * Enhanced CT image share its UID (see {@link #frameNumber(int)}).
     */
    public List<String> sopInstanceUids() {
        return slices.stream().map(s -> s.sopInstanceUid).toList();
    }

    /** Files in volume order. */
    public List<Path> files() {
        return slices.stream().map(s -> s.file).toList();
    }

    /** Transfer Syntax UID of slice k's file. */
    public String transferSyntaxUid(int k) {
        return slice(k).transferSyntax;
    }

    /**
     * Decodes slice k (0 = lowest position along the normal) to Hounsfield units: rows*columns values, row-major,
     * the stored value (masked to Bits Stored, sign-extended if Pixel Representation is 1) times Rescale Slope
     * plus Rescale Intercept of that slice. A single-frame file is read anew on each call; the frames of a
     * multi-frame file come from one decode of it, kept until another multi-frame file is asked for (its frames are
     * neighbours in volume order), not one decode of the whole file per frame. Safe to call from several threads.
     */
    public float[] sliceHu(int k) {
        SliceHeader s = slice(k);
        return hu(s, s.frameCount > 1 ? multiFrameValues(s) : storedValues(s));
    }

    private synchronized short[] multiFrameValues(SliceHeader s) {
        if (!s.file.equals(decodedFile)) {
            decodedValues = null; // the previous file's frames go before this one's are decoded
            decodedValues = storedValues(s);
            decodedFile = s.file;
        }
        return decodedValues;
    }

    /** Every stored 16-bit value of slice {@code s}'s file (all frames), checked against Rows x Columns x frames. */
    static short[] storedValues(SliceHeader s) {
        AttributeList full;
        try {
            full = PixelDecoding.readDecoded(s.file, s.transferSyntax);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new VolumeException("cannot decode the pixel data of " + s.file + " (Transfer Syntax "
                    + s.transferSyntax + "): " + e.getMessage(), e);
        }
        Attribute pixelData = full.get(TagFromName.PixelData);
        short[] stored;
        try {
            stored = pixelData == null ? null : pixelData.getShortValues();
        } catch (DicomException e) {
            throw new VolumeException("cannot decode the pixel data of " + s.file + ": " + e.getMessage(), e);
        }
        long expected = (long) s.rows * s.columns * s.frameCount;
        if (stored == null || stored.length < expected || stored.length > expected + 1) {
            throw new VolumeException("rule 'Pixel Data holds Rows x Columns x Number of Frames values of 16 bits' failed"
                    + " for " + s.file + ": " + s.rows + "x" + s.columns + "x" + s.frameCount + " needs " + expected
                    + " values (" + 2 * expected + " bytes), found " + (stored == null ? "no Pixel Data"
                    : stored.length + " (" + 2L * stored.length + " bytes; Transfer Syntax " + s.transferSyntax
                    + "; in an uncompressed transfer syntax that is a vendor's private compression, which the node cannot read)"));
        }
        return stored;
    }

    /** Slice {@code s}'s frame of its file's stored values, in HU, checked against the HU rule. */
    static float[] hu(SliceHeader s, short[] stored) {
        int n = s.rows * s.columns;
        if (s.frame > 1) {
            stored = java.util.Arrays.copyOfRange(stored, (s.frame - 1) * n, s.frame * n);
        }
        int bitsStored = Attribute.getSingleIntegerValueOrDefault(s.list, TagFromName.BitsStored, 16);
        int highBit = Attribute.getSingleIntegerValueOrDefault(s.list, TagFromName.HighBit, bitsStored - 1);
        boolean signed = Attribute.getSingleIntegerValueOrDefault(s.list, TagFromName.PixelRepresentation, 0) == 1;
        float[] hu = toHu(stored, n, bitsStored, highBit, signed, HuRange.slope(s), HuRange.intercept(s));
        HuRange.checkDecoded(s, hu);
        return hu;
    }

    /** Stored 16-bit words to HU: only the Bits Stored bits ending at High Bit carry the value. */
    static float[] toHu(short[] stored, int n, int bitsStored, int highBit, boolean signed, double slope,
                        double intercept) {
        int shift = highBit + 1 - bitsStored;
        int mask = bitsStored >= 32 ? -1 : (1 << bitsStored) - 1;
        int signBit = 1 << (bitsStored - 1);
        float[] hu = new float[n];
        for (int p = 0; p < n; p++) {
            int v = ((stored[p] & 0xFFFF) >>> shift) & mask;
            if (signed && (v & signBit) != 0) {
                v -= 1 << bitsStored;
            }
            hu[p] = (float) (v * slope + intercept);
        }
        return hu;
    }

    private SliceHeader slice(int k) {
        if (k < 0 || k >= slices.size()) {
            throw new IndexOutOfBoundsException("slice index must be in [0, " + slices.size() + "), found " + k);
        }
        return slices.get(k);
    }
}
