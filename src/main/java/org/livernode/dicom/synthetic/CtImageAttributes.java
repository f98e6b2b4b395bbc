package org.livernode.dicom.synthetic;

import org.livernode.dicom.vocabulary.SopClasses;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import java.util.Locale;

    /** The CT Image IOD attributes of one slice (Patient, Study, Series, Frame of Reference, Equipment, Image...). */
final class CtImageAttributes {
    private final SyntheticCtSeries.Builder spec;
    private final String studyUid;
    private final String seriesUid;
    private final String frameOfReferenceUid;
    private final String sopUid;
    private final String date;

    CtImageAttributes(SyntheticCtSeries.Builder spec, String studyUid, String seriesUid, String frameOfReferenceUid, String sopUid,
                      String date) {
        this.spec = spec;
        this.studyUid = studyUid;
        this.seriesUid = seriesUid;
        this.frameOfReferenceUid = frameOfReferenceUid;
        this.sopUid = sopUid;
        this.date = date;
    }

    AttributeList slice(int k, int instanceNumber, double[] position, short[] stored) throws DicomException {
        AttributeList l = new AttributeList();
        put(l, "SpecificCharacterSet", "ISO_IR 100");
        put(l, "ImageType", "ORIGINAL", "PRIMARY", "AXIAL");
        put(l, "SOPClassUID", SopClasses.CT_IMAGE_STORAGE);
        put(l, "SOPInstanceUID", sopUid);
        put(l, "StudyDate", date);
        put(l, "SeriesDate", date);
        put(l, "AcquisitionDate", date);
        put(l, "ContentDate", date);
        put(l, "StudyTime", "120000");
        put(l, "SeriesTime", "120000");
        put(l, "AcquisitionTime", "120000");
        put(l, "ContentTime", "120000");
        put(l, "AccessionNumber");
        put(l, "Modality", "CT");
        put(l, "Manufacturer", "livernode");
        put(l, "ManufacturerModelName", "SyntheticCtSeries");
        put(l, "ReferringPhysicianName");
        put(l, "StudyDescription", spec.studyDescription);
        put(l, "SeriesDescription", spec.seriesDescription);
        put(l, "PatientName", spec.patientName);
        put(l, "PatientID", spec.patientId);
        put(l, "PatientBirthDate");
        put(l, "PatientSex", "O");
        put(l, "BodyPartExamined", "ABDOMEN");
        put(l, "SliceThickness", ds(spec.sliceSpacing));
        put(l, "KVP", "120");
        put(l, "PatientPosition", "FFS");
        put(l, "StudyInstanceUID", studyUid);
        put(l, "SeriesInstanceUID", seriesUid);
        put(l, "StudyID", "1");
        put(l, "SeriesNumber", Integer.toString(spec.seriesNumber));
        put(l, "AcquisitionNumber", "1");
        put(l, "InstanceNumber", Integer.toString(instanceNumber));
        put(l, "PatientOrientation");
        put(l, "ImagePositionPatient", ds(position[0]), ds(position[1]), ds(position[2]));
        put(l, "ImageOrientationPatient", "1", "0", "0", "0", "1", "0");
        put(l, "FrameOfReferenceUID", frameOfReferenceUid);
        put(l, "PositionReferenceIndicator");
        put(l, "SliceLocation", ds(position[2]));
        put(l, "SamplesPerPixel", "1");
        put(l, "PhotometricInterpretation", "MONOCHROME2");
        put(l, "Rows", Integer.toString(spec.rows));
        put(l, "Columns", Integer.toString(spec.columns));
        put(l, "PixelSpacing", ds(spec.rowSpacing), ds(spec.columnSpacing));
        put(l, "BitsAllocated", "16");
        put(l, "BitsStored", "12");
        put(l, "HighBit", "11");
        put(l, "PixelRepresentation", "0");
        put(l, "WindowCenter", "40");
        put(l, "WindowWidth", "400");
        put(l, "RescaleIntercept", "-1024");
        put(l, "RescaleSlope", "1");
        put(l, "RescaleType", "HU");
        Attribute pixels = new OtherWordAttribute(TagFromName.PixelData);
        pixels.setValues(stored);
        l.put(pixels);
        FileMetaInformation.addFileMetaInformation(l, spec.transferSyntaxUid, "LIVERNODE");
        return l;
    }

    private static void put(AttributeList l, String keyword, String... values) throws DicomException {
        AttributeTag tag = DicomDictionary.StandardDictionary.getTagFromName(keyword);
        if (tag == null) {
            throw new IllegalStateException("unknown DICOM keyword " + keyword);
        }
        Attribute a = l.putNewAttribute(tag);
        for (String v : values) {
            a.addValue(v);
        }
    }

    /** A Decimal String of at most 16 characters. */
    private static String ds(double v) {
        String s = Double.toString(Math.round(v * 1e6) / 1e6);
        if (s.endsWith(".0")) {
            s = s.substring(0, s.length() - 2);
        }
        return s.length() <= 16 ? s : String.format(Locale.ROOT, "%.6g", v);
    }
}
