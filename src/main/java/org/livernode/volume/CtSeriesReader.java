package org.livernode.volume;

import org.livernode.dicom.codec.ImageSizeLimit;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import org.livernode.dicom.codec.PixelDecoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the slices of one CT series (files, or frames of Enhanced CT files) into a sorted {@link CtSeries}.
 *
 * <p>A 2D model needs each slice, not a perfect volume: slices are sorted by Image Position Patient projected on
 * the slice normal (never by Instance Number or file name) and each keeps its own position. Gantry tilt (a stack
 * sheared against its normal), uneven spacing and missing slices are accepted and noted ({@link CtSeries#notes()});
 * duplicate positions are resolved by {@link SlicePositions}. Refused, with a {@link VolumeException} naming the
 * rule and the value found: no files, an unreadable file, pixels the node cannot decode or that are not 16-bit
 * greyscale, missing geometry, and mixed orientations, pixel spacings, matrix sizes or series.
 */
public final class CtSeriesReader {

    private static final double ORIENTATION_TOLERANCE = 1e-4;

    private CtSeriesReader() {
    }

    /** Reads every slice's header; only an unreadable file is refused here. */
    public static SeriesHeaders readHeaders(List<Path> files) {
        if (files == null || files.isEmpty()) {
            throw new VolumeException("rule 'a series has at least one file' failed: no files given");
        }
        List<SliceHeader> slices = new ArrayList<>(files.size());
        for (Path f : files) {
            slices.addAll(SliceHeader.read(f));
        }
        return new SeriesHeaders(slices);
    }

    /** Reads and builds the series from every slice of {@code files}, without a selection. */
    public static CtSeries read(List<Path> files) {
        return readHeaders(files).toSeries();
    }

    static CtSeries build(List<SliceHeader> given, List<String> selectionNotes) {
        if (given.isEmpty()) {
            throw new VolumeException("rule 'a series has at least one slice' failed: no slice is left to segment");
        }
        for (SliceHeader s : given) {
            checkSlice(s);
        }
        SliceHeader first = given.get(0);
        for (SliceHeader s : given) {
            checkSameAsFirst(first, s);
        }
        double[] rowDir = Arrays.copyOfRange(first.orientation, 0, 3);
        double[] colDir = Arrays.copyOfRange(first.orientation, 3, 6);
        checkOrthonormal(first, rowDir, colDir);
        double[] normal = VolumeGeometry.cross(rowDir, colDir);

        List<SliceHeader> sorted = new ArrayList<>(given);
        sorted.sort(Comparator.comparingDouble(s -> VolumeGeometry.dot(s.position, normal)));
        List<String> notes = new ArrayList<>(selectionNotes);
        List<SliceHeader> slices = SlicePositions.oneSlicePerPosition(sorted, normal, notes);
        SlicePositions positions = SlicePositions.of(slices, normal, nominalThickness(first), notes);
        SliceHeader origin = slices.get(0);
        VolumeGeometry geometry = new VolumeGeometry(origin.position, rowDir, colDir,
                origin.pixelSpacing[0], origin.pixelSpacing[1], positions.nominalSpacing());
        return new CtSeries(first.rows, first.columns, geometry, slices, positions, notes);
    }

    /** The rules one slice must meet on its own: decodable 16-bit greyscale pixels, geometry and a sane rescale. */
    static void checkSlice(SliceHeader s) {
        if (!PixelDecoding.decodable(s.transferSyntax)) {
            throw new VolumeException("rule 'transfer syntax must be decodable' failed for " + s.where()
                    + ": " + PixelDecoding.whyNotDecodable(s.transferSyntax));
        }
        int samples = Attribute.getSingleIntegerValueOrDefault(s.list, TagFromName.SamplesPerPixel, 1);
        String photometric = org.livernode.dicom.vocabulary.CodeStrings.value(
                SliceHeader.string(s.list, TagFromName.PhotometricInterpretation));
        if (samples != 1 || !photometric.startsWith("MONOCHROME")) {
            throw new VolumeException("rule 'greyscale pixels (Samples per Pixel 1, MONOCHROME1/2)' failed for "
                    + s.where() + ": Samples per Pixel " + samples + ", Photometric Interpretation '" + photometric
                    + "' (an RGB or colour secondary capture is not a CT slice)");
        }
        int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(s.list, TagFromName.BitsAllocated, 0);
        if (bitsAllocated != 16) {
            throw new VolumeException("rule 'Bits Allocated must be 16 (Hounsfield units need more than 8 bits)' failed"
                    + " for " + s.where() + ": found " + bitsAllocated);
        }
        if (s.rows <= 0 || s.columns <= 0) {
            throw new VolumeException("rule 'Rows and Columns must be present and positive' failed for " + s.where()
                    + ": found " + s.rows + "x" + s.columns);
        }
        ImageSizeLimit.refusal(s.rows, s.columns, s.frameCount, bitsAllocated, samples).ifPresent(why -> {
            throw new VolumeException(why + " (" + s.where() + ")");
        });
        required(s, s.position, TagFromName.ImagePositionPatient, "Image Position Patient", 3);
        required(s, s.orientation, TagFromName.ImageOrientationPatient, "Image Orientation Patient", 6);
        required(s, s.pixelSpacing, TagFromName.PixelSpacing, "Pixel Spacing", 2);
        if (!(s.pixelSpacing[0] > 0 && s.pixelSpacing[1] > 0)) {
            throw new VolumeException("rule 'Pixel Spacing must be positive' failed for " + s.where() + ": found "
                    + s.pixelSpacing[0] + "\\" + s.pixelSpacing[1]);
        }
        HuRange.checkRescale(s);
    }

    private static void required(SliceHeader s, double[] value, AttributeTag tag, String name, int count) {
        if (value == null) {
            throw new VolumeException("rule '" + name + " must have " + count + " finite values' failed for "
                    + s.where() + ": found '" + Attribute.getDelimitedStringValuesOrEmptyString(s.list, tag) + "'");
        }
    }

    private static void checkSameAsFirst(SliceHeader first, SliceHeader s) {
        if (s.rows != first.rows || s.columns != first.columns) {
            throw new VolumeException("rule 'all slices have the same Rows x Columns' failed: " + first.where() + " is "
                    + first.rows + "x" + first.columns + ", " + s.where() + " is " + s.rows + "x" + s.columns);
        }
        for (int a = 0; a < 6; a++) {
            if (Math.abs(s.orientation[a] - first.orientation[a]) > ORIENTATION_TOLERANCE) {
                throw new VolumeException("rule 'all slices have the same Image Orientation Patient' failed (mixed "
                        + "orientations): " + first.where() + " has " + Arrays.toString(first.orientation) + ", "
                        + s.where() + " has " + Arrays.toString(s.orientation));
            }
        }
        for (int a = 0; a < 2; a++) {
            if (Math.abs(s.pixelSpacing[a] - first.pixelSpacing[a]) > 1e-4 * first.pixelSpacing[a]) {
                throw new VolumeException("rule 'all slices have the same Pixel Spacing' failed: " + first.where()
                        + " has " + Arrays.toString(first.pixelSpacing) + ", " + s.where() + " has "
                        + Arrays.toString(s.pixelSpacing));
            }
        }
        sameUid(first, s, TagFromName.SeriesInstanceUID, "Series Instance UID");
        sameUid(first, s, TagFromName.FrameOfReferenceUID, "Frame of Reference UID");
    }

    private static void sameUid(SliceHeader first, SliceHeader s, AttributeTag tag, String name) {
        String a = SliceHeader.string(first.list, tag);
        String b = SliceHeader.string(s.list, tag);
        if (!a.equals(b)) {
            throw new VolumeException("rule 'one " + name + " per series' failed: " + first.where() + " has '" + a
                    + "', " + s.where() + " has '" + b + "'");
        }
    }

    private static void checkOrthonormal(SliceHeader first, double[] rowDir, double[] colDir) {
        double lr = Math.sqrt(VolumeGeometry.dot(rowDir, rowDir));
        double lc = Math.sqrt(VolumeGeometry.dot(colDir, colDir));
        double dot = VolumeGeometry.dot(rowDir, colDir);
        if (Math.abs(lr - 1) > 1e-3 || Math.abs(lc - 1) > 1e-3 || Math.abs(dot) > 1e-3) {
            throw new VolumeException("rule 'Image Orientation Patient holds two orthogonal unit vectors' failed for "
                    + first.where() + ": found " + Arrays.toString(first.orientation) + " (lengths " + lr + ", " + lc
                    + ", dot product " + dot + ")");
        }
    }

    /** Spacing Between Slices, else Slice Thickness, else 0: what one slice stands for when it has no neighbour. */
    private static double nominalThickness(SliceHeader s) {
        double v = Attribute.getSingleDoubleValueOrDefault(s.list, TagFromName.SpacingBetweenSlices, 0);
        if (!(v > 0) || !Double.isFinite(v)) {
            v = Attribute.getSingleDoubleValueOrDefault(s.list, TagFromName.SliceThickness, 0);
        }
        return v > 0 && Double.isFinite(v) ? v : 0;
    }
}
