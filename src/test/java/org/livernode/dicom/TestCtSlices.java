package org.livernode.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Test-only: CT Image Storage headers of a plane-parallel series, slice k at origin + k * sliceSpacing * normal
 * (sliceSpacing may be negative), with UIDs, geometry, Frame of Reference, patient and study.
 */
public final class TestCtSlices {

    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    public int rows = 16;
    public int columns = 12;
    public int slices = 5;
    public double[] origin = {-100.0, -120.0, 50.0};
    /** Row direction then column direction. */
    public double[] orientation = {1, 0, 0, 0, 1, 0};
    public double[] pixelSpacing = {0.75, 0.8};
    public double sliceSpacing = 2.5;
    public String studyUid = uid();
    public String seriesUid = uid();
    public String frameOfReferenceUid = uid();

    public static String uid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    public double[] normal() {
        double[] o = orientation;
        return new double[] {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
    }

    public double[] position(int k) {
        double[] n = normal();
        return new double[] {origin[0] + k * sliceSpacing * n[0], origin[1] + k * sliceSpacing * n[1],
                origin[2] + k * sliceSpacing * n[2]};
    }

    /** Headers of slices 0..slices-1 in volume order (no pixel data). */
    public List<AttributeList> headers() throws DicomException {
        List<AttributeList> list = new ArrayList<>();
        for (int k = 0; k < slices; k++) {
            list.add(header(k));
        }
        return list;
    }

    public AttributeList header(int k) throws DicomException {
        AttributeList l = new AttributeList();
        put(l, TagFromName.SOPClassUID, CT_IMAGE_STORAGE);
        put(l, TagFromName.SOPInstanceUID, uid());
        put(l, TagFromName.PatientName, "Test^Liver");
        put(l, TagFromName.PatientID, "LN-0001");
        put(l, TagFromName.PatientBirthDate, "19600101");
        put(l, TagFromName.PatientSex, "O");
        put(l, TagFromName.StudyInstanceUID, studyUid);
        put(l, TagFromName.StudyDate, "20260101");
        put(l, TagFromName.StudyTime, "101500");
        put(l, TagFromName.ReferringPhysicianName, "");
        put(l, TagFromName.StudyID, "1");
        put(l, TagFromName.AccessionNumber, "ACC1");
        put(l, TagFromName.Modality, "CT");
        put(l, TagFromName.SeriesInstanceUID, seriesUid);
        put(l, TagFromName.SeriesNumber, "2");
        put(l, TagFromName.FrameOfReferenceUID, frameOfReferenceUid);
        put(l, TagFromName.PositionReferenceIndicator, "");
        put(l, TagFromName.InstanceNumber, Integer.toString(k + 1));
        put(l, TagFromName.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
        put(l, TagFromName.Rows, Integer.toString(rows));
        put(l, TagFromName.Columns, Integer.toString(columns));
        double[] p = position(k);
        put(l, TagFromName.ImagePositionPatient, ds(p[0]), ds(p[1]), ds(p[2]));
        String[] iop = new String[6];
        for (int i = 0; i < 6; i++) {
            iop[i] = ds(orientation[i]);
        }
        put(l, TagFromName.ImageOrientationPatient, iop);
        put(l, TagFromName.PixelSpacing, ds(pixelSpacing[0]), ds(pixelSpacing[1]));
        put(l, TagFromName.SliceThickness, ds(Math.abs(sliceSpacing)));
        put(l, TagFromName.SamplesPerPixel, "1");
        put(l, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        put(l, TagFromName.BitsAllocated, "16");
        put(l, TagFromName.BitsStored, "16");
        put(l, TagFromName.HighBit, "15");
        put(l, TagFromName.PixelRepresentation, "1");
        put(l, TagFromName.RescaleIntercept, "-1024");
        put(l, TagFromName.RescaleSlope, "1");
        return l;
    }

    /** Writes slice headers plus a small gradient image as Explicit VR Little Endian files named slice-k.dcm. */
    public List<Path> writeFiles(Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        List<AttributeList> headers = headers();
        for (int k = 0; k < headers.size(); k++) {
            AttributeList l = headers.get(k);
            short[] pixels = new short[rows * columns];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (short) (1000 + i + 7 * k);
            }
            OtherWordAttribute pd = new OtherWordAttribute(TagFromName.PixelData);
            pd.setValues(pixels);
            l.put(pd);
            FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "TEST");
            Path file = dir.resolve("slice-" + k + ".dcm");
            l.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            files.add(file);
        }
        return files;
    }

    private static void put(AttributeList l, AttributeTag tag, String... values) throws DicomException {
        Attribute a = AttributeFactory.newAttribute(tag);
        for (String v : values) {
            if (!v.isEmpty()) {
                a.addValue(v);
            }
        }
        l.put(a);
    }

    private static String ds(double v) {
        String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
