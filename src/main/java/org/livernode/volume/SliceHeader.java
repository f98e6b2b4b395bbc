package org.livernode.volume;

import org.livernode.dicom.vocabulary.TransferSyntaxes;
import org.livernode.dicom.vocabulary.SopClasses;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/** The header of one CT slice file (read up to, not including, Pixel Data) and the values the reader checks. */
final class SliceHeader {

    /** Transfer syntaxes whose pixel data we can decode (PixelMed, pixelmed-imageio, jai-imageio-jpeg2000). */
    static final Set<String> ACCEPTED_TRANSFER_SYNTAXES = Set.of(
            TransferSyntaxes.IMPLICIT_VR_LE, TransferSyntaxes.EXPLICIT_VR_LE, TransferSyntaxes.DEFLATED_EXPLICIT_VR_LE,
            TransferSyntaxes.JPEG_LOSSLESS_P14, TransferSyntaxes.JPEG_LOSSLESS_SV1, TransferSyntaxes.JPEG2000_LOSSLESS,
            TransferSyntaxes.JPEG2000, TransferSyntaxes.RLE_LOSSLESS);

    final Path file;
    final AttributeList list;
    final String transferSyntax;
    final String sopInstanceUid;
    final int rows;
    final int columns;
    final double[] position;
    final double[] orientation;
    final double[] pixelSpacing;

    private SliceHeader(Path file, AttributeList list, String transferSyntax, String sopInstanceUid, int rows,
                        int columns, double[] position, double[] orientation, double[] pixelSpacing) {
        this.file = file;
        this.list = list;
        this.transferSyntax = transferSyntax;
        this.sopInstanceUid = sopInstanceUid;
        this.rows = rows;
        this.columns = columns;
        this.position = position;
        this.orientation = orientation;
        this.pixelSpacing = pixelSpacing;
    }

    /** Reads and checks the per-file rules (CT, single frame, grey 16-bit, decodable, geometry present). */
    static SliceHeader read(Path file) {
        AttributeList list = new AttributeList();
        try {
            list.read(file.toString(), TagFromName.PixelData);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new VolumeException("file " + file + " is not a readable DICOM file: " + e.getMessage(), e);
        }
        String ts = string(list, TagFromName.TransferSyntaxUID);
        if (!ACCEPTED_TRANSFER_SYNTAXES.contains(ts)) {
            throw new VolumeException("rule 'transfer syntax must be decodable' failed for " + file
                    + ": Transfer Syntax UID is '" + ts + "', accepted are " + ACCEPTED_TRANSFER_SYNTAXES);
        }
        String modality = string(list, TagFromName.Modality);
        if (!"CT".equals(modality)) {
            throw new VolumeException("rule 'Modality must be CT' failed for " + file + ": Modality is '" + modality + "'");
        }
        String sopClass = string(list, TagFromName.SOPClassUID);
        if (sopClass.isEmpty()) {
            sopClass = string(list, TagFromName.MediaStorageSOPClassUID);
        }
        if (!SopClasses.CT_IMAGE_STORAGE.equals(sopClass)) {
            throw new VolumeException("rule 'SOP Class must be CT Image Storage (" + SopClasses.CT_IMAGE_STORAGE
                    + ")' failed for " + file + ": SOP Class UID is '" + sopClass + "'");
        }
        int frames = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1);
        if (frames != 1) {
            throw new VolumeException("rule 'one frame per CT image' failed for " + file + ": Number of Frames is " + frames);
        }
        int samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        String photometric = string(list, TagFromName.PhotometricInterpretation);
        if (samples != 1 || !photometric.startsWith("MONOCHROME")) {
            throw new VolumeException("rule 'greyscale pixels' failed for " + file + ": Samples per Pixel " + samples
                    + ", Photometric Interpretation '" + photometric + "'");
        }
        int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0);
        if (bitsAllocated != 16) {
            throw new VolumeException("rule 'Bits Allocated must be 16' failed for " + file + ": found " + bitsAllocated);
        }
        int rows = requiredInt(file, list, TagFromName.Rows, "Rows");
        int columns = requiredInt(file, list, TagFromName.Columns, "Columns");
        double[] position = required(file, list, TagFromName.ImagePositionPatient, "Image Position Patient", 3);
        double[] orientation = required(file, list, TagFromName.ImageOrientationPatient, "Image Orientation Patient", 6);
        double[] spacing = required(file, list, TagFromName.PixelSpacing, "Pixel Spacing", 2);
        if (!(spacing[0] > 0 && spacing[1] > 0)) {
            throw new VolumeException("rule 'Pixel Spacing must be positive' failed for " + file + ": found "
                    + spacing[0] + "\\" + spacing[1]);
        }
        String sop = string(list, TagFromName.SOPInstanceUID);
        if (sop.isEmpty()) {
            sop = string(list, TagFromName.MediaStorageSOPInstanceUID);
        }
        list.remove(TagFromName.PixelData);
        list.removePrivateAttributes(); // vendor blobs (e.g. Siemens CSA) would weigh on 1000+ slice series
        return new SliceHeader(file, list, ts, sop, rows, columns, position, orientation, spacing);
    }

    static String string(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }

    private static int requiredInt(Path file, AttributeList list, AttributeTag tag, String name) {
        int v = Attribute.getSingleIntegerValueOrDefault(list, tag, 0);
        if (v <= 0) {
            throw new VolumeException("rule '" + name + " must be present and positive' failed for " + file
                    + ": found '" + string(list, tag) + "'");
        }
        return v;
    }

    private static double[] required(Path file, AttributeList list, AttributeTag tag, String name, int count) {
        double[] v = Attribute.getDoubleValues(list, tag);
        if (v == null || v.length != count) {
            throw new VolumeException("rule '" + name + " must have " + count + " values' failed for " + file
                    + ": found '" + Attribute.getDelimitedStringValuesOrEmptyString(list, tag) + "'");
        }
        for (double d : v) {
            if (!Double.isFinite(d)) {
                throw new VolumeException("rule '" + name + " must be finite numbers' failed for " + file
                        + ": found '" + Attribute.getDelimitedStringValuesOrEmptyString(list, tag) + "'");
            }
        }
        return v;
    }
}
