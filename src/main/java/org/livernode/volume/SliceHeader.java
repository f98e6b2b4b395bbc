package org.livernode.volume;

import org.livernode.dicom.vocabulary.CodeStrings;
import org.livernode.dicom.vocabulary.TransferSyntaxes;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One slice as the header says it: a single-frame CT file, or one frame of an Enhanced CT file (its functional
 * groups flattened by {@link EnhancedCtFrames}). Read leniently: only an unreadable file is refused here; what the
 * values mean is judged by the selection and by {@link CtSeriesReader}, which name the rule and the value found.
 */
final class SliceHeader {

    final Path file;
    /** 1-based frame of an Enhanced CT file; 0 for a single-frame image. */
    final int frame;
    final int frameCount;
    /** The slice's header (without Pixel Data and private attributes); an Enhanced CT frame's is flattened. */
    final AttributeList list;
    final String transferSyntax;
    final String sopInstanceUid;
    final String sopClassUid;
    final String modality;
    final String manufacturer;
    final boolean burnedInAnnotation;
    final List<String> imageType;
    final int rows;
    final int columns;
    /** Null when the header lacks them; {@link CtSeriesReader} refuses such a slice naming the attribute. */
    final double[] position;
    final double[] orientation;
    final double[] pixelSpacing;

    SliceHeader(Path file, int frame, int frameCount, AttributeList list, String transferSyntax, String sopInstanceUid,
                String sopClassUid) {
        this.file = file;
        this.frame = frame;
        this.frameCount = frameCount;
        this.list = list;
        this.transferSyntax = transferSyntax;
        this.sopInstanceUid = sopInstanceUid;
        this.sopClassUid = sopClassUid;
        this.modality = CodeStrings.value(string(list, TagFromName.Modality));
        this.manufacturer = string(list, TagFromName.Manufacturer).trim();
        this.burnedInAnnotation = "YES".equals(CodeStrings.value(string(list, TagFromName.BurnedInAnnotation)));
        List<String> frameType = CodeStrings.values(Attribute.getDelimitedStringValuesOrEmptyString(list, TagFromName.FrameType));
        this.imageType = frameType.isEmpty()
                ? CodeStrings.values(Attribute.getDelimitedStringValuesOrEmptyString(list, TagFromName.ImageType)) : frameType;
        this.rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        this.columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        this.position = doubles(list, TagFromName.ImagePositionPatient, 3);
        this.orientation = doubles(list, TagFromName.ImageOrientationPatient, 6);
        this.pixelSpacing = doubles(list, TagFromName.PixelSpacing, 2);
    }

    /** Reads a file's header: one slice, or one per frame of an Enhanced CT file. */
    static List<SliceHeader> read(Path file) {
        AttributeList list = new AttributeList();
        try {
            list.read(file.toString(), TagFromName.PixelData);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new VolumeException("file " + file + " is not a readable DICOM file: " + e.getMessage(), e);
        }
        String ts = string(list, TagFromName.TransferSyntaxUID);
        String sopClass = string(list, TagFromName.SOPClassUID);
        if (sopClass.isEmpty()) {
            sopClass = string(list, TagFromName.MediaStorageSOPClassUID);
        }
        if (sopClass.isEmpty()) { // PixelMed reads some non-DICOM bytes as an empty list without complaint
            throw new VolumeException("file " + file + " is not a readable DICOM file: no SOP Class UID found");
        }
        if (ts.isEmpty()) {
            ts = TransferSyntaxes.IMPLICIT_VR_LE; // no File Meta Information: PS3.5's default transfer syntax
        }
        String sop = string(list, TagFromName.SOPInstanceUID);
        if (sop.isEmpty()) {
            sop = string(list, TagFromName.MediaStorageSOPInstanceUID);
        }
        list.remove(TagFromName.PixelData);
        list.removePrivateAttributes(); // vendor blobs (e.g. Siemens CSA) would weigh on 1000+ slice series
        int frames = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1);
        if (EnhancedCtFrames.hasFunctionalGroups(list)) {
            return EnhancedCtFrames.split(file, list, ts, sop, sopClass);
        }
        return List.of(new SliceHeader(file, 0, frames, list, ts, sop, sopClass));
    }

    /** Where this slice comes from, for messages: the file, and the frame of a multi-frame file. */
    String where() {
        return frame == 0 ? file.toString() : file + " frame " + frame;
    }

    static String string(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }

    private static double[] doubles(AttributeList list, AttributeTag tag, int count) {
        double[] v = Attribute.getDoubleValues(list, tag);
        if (v == null || v.length != count) {
            return null;
        }
        for (double d : v) {
            if (!Double.isFinite(d)) {
                return null;
            }
        }
        return v;
    }
}
