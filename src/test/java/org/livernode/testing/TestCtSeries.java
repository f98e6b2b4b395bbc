package org.livernode.testing;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import org.livernode.dicom.vocabulary.Uids;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only: writes a small CT series (explicit VR little endian, 16-bit, RescaleIntercept -1024, axial
 * geometry, UIDs under 2.25) to a folder. The shared phantom generator replaces it later.
 */
public final class TestCtSeries {
    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    public final String studyUid = Uids.newUid();
    public final String seriesUid = Uids.newUid();
    public final List<String> sopInstanceUids = new ArrayList<>();
    public final List<Path> files = new ArrayList<>();

    private TestCtSeries() {
    }

    public static TestCtSeries write(Path folder, int slices, int size) throws Exception {
        return write(folder, slices, size, CT_IMAGE_STORAGE, "CT");
    }

    public static TestCtSeries write(Path folder, int slices, int size, String sopClassUid, String modality) throws Exception {
        Files.createDirectories(folder);
        TestCtSeries s = new TestCtSeries();
        for (int k = 0; k < slices; k++) {
            String sop = Uids.newUid();
            AttributeList list = s.slice(k, size, sop, sopClassUid, modality);
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "LIVERNODE_TEST");
            Path file = folder.resolve(String.format("slice%04d.dcm", k));
            list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            s.sopInstanceUids.add(sop);
            s.files.add(file);
        }
        return s;
    }

    private AttributeList slice(int k, int size, String sop, String sopClassUid, String modality) throws Exception {
        AttributeList l = new AttributeList();
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), sopClassUid);
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), sop);
        put(l, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), studyUid);
        put(l, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), seriesUid);
        put(l, new UniqueIdentifierAttribute(TagFromName.FrameOfReferenceUID), seriesUid + ".1");
        put(l, new CodeStringAttribute(TagFromName.Modality), modality);
        put(l, new CodeStringAttribute(TagFromName.ImageType), "ORIGINAL\\PRIMARY\\AXIAL");
        put(l, new PersonNameAttribute(TagFromName.PatientName), "Test^Phantom");
        put(l, new LongStringAttribute(TagFromName.PatientID), "TEST-1");
        put(l, new LongStringAttribute(TagFromName.StudyDescription), "livernode test");
        put(l, new LongStringAttribute(TagFromName.SeriesDescription), "test series");
        put(l, new ShortStringAttribute(TagFromName.AccessionNumber), "A1");
        put(l, new IntegerStringAttribute(TagFromName.SeriesNumber), "1");
        put(l, new IntegerStringAttribute(TagFromName.InstanceNumber), Integer.toString(k + 1));
        put(l, new DecimalStringAttribute(TagFromName.ImagePositionPatient), "-160\\-160\\" + (0.0 - 2.5 * k));
        put(l, new DecimalStringAttribute(TagFromName.ImageOrientationPatient), "1\\0\\0\\0\\1\\0");
        put(l, new DecimalStringAttribute(TagFromName.PixelSpacing), "5\\5");
        put(l, new DecimalStringAttribute(TagFromName.SliceThickness), "2.5");
        put(l, new DecimalStringAttribute(TagFromName.RescaleIntercept), "-1024");
        put(l, new DecimalStringAttribute(TagFromName.RescaleSlope), "1");
        put(l, new CodeStringAttribute(TagFromName.PhotometricInterpretation), "MONOCHROME2");
        putShort(l, TagFromName.SamplesPerPixel, 1);
        putShort(l, TagFromName.Rows, size);
        putShort(l, TagFromName.Columns, size);
        putShort(l, TagFromName.BitsAllocated, 16);
        putShort(l, TagFromName.BitsStored, 16);
        putShort(l, TagFromName.HighBit, 15);
        putShort(l, TagFromName.PixelRepresentation, 0);
        short[] pixels = new short[size * size];
        double r = size / 3.0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double d = Math.hypot(x - size / 2.0, y - size / 2.0);
                pixels[y * size + x] = (short) (d < r ? 1024 + 60 + (k % 7) : 0); // body 60 HU in air
            }
        }
        Attribute pixelData = new OtherWordAttribute(TagFromName.PixelData);
        pixelData.setValues(pixels);
        l.put(pixelData);
        return l;
    }

    private static void put(AttributeList l, Attribute a, String value) throws Exception {
        a.addValue(value);
        l.put(a);
    }

    private static void putShort(AttributeList l, AttributeTag tag, int value) throws Exception {
        Attribute a = new UnsignedShortAttribute(tag);
        a.addValue(value);
        l.put(a);
    }
}
