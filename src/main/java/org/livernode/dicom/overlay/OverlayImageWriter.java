package org.livernode.dicom.overlay;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.livernode.dicom.attributes.Attributes;
import org.livernode.dicom.attributes.NewSeries;
import org.livernode.dicom.attributes.DicomFiles;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.dicom.vocabulary.Uids;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

/**
 * Builds one image of the overlay series for viewers that cannot show a SEG: a derived CT image (CT Image Storage,
 * Image Type DERIVED\SECONDARY\AXIAL) with the source slice's HU, the liver outline burned in white and the liver
 * volume and "NOT FOR DIAGNOSIS" written in the top left corner (Burned In Annotation YES).
 * A derived CT rather than Secondary Capture because CT keeps the source's geometry (Image Plane: position,
 * orientation, spacing, Frame of Reference), so viewers place it, sync it and measure on it like the CT; the cost is
 * grey levels only (no colour fill) and 2 bytes per pixel, as the uncompressed source.
 * Everything is checked when the writer is built.
 */
public final class OverlayImageWriter {

    public static final String MANUFACTURER = "livernode";
    /** HU of the burned-in outline and text: white in every soft-tissue and bone window. */
    public static final short INK = 3071;
    /** HU behind the text: air, black in every window. */
    public static final short TEXT_BACKGROUND = -1024;
    /** KVP (0018,0060): PixelMed spells it KVP in its dictionary but not in TagFromName. */
    private static final AttributeTag KVP = new AttributeTag(0x0018, 0x0060);
    private static final AttributeTag[] PATIENT_AND_STUDY = {
            TagFromName.PatientName, TagFromName.PatientID, TagFromName.PatientBirthDate, TagFromName.PatientSex,
            TagFromName.StudyInstanceUID, TagFromName.StudyDate, TagFromName.StudyTime,
            TagFromName.ReferringPhysicianName, TagFromName.StudyID, TagFromName.AccessionNumber,
            TagFromName.FrameOfReferenceUID, TagFromName.PositionReferenceIndicator, TagFromName.PatientPosition,
            TagFromName.ImagePositionPatient, TagFromName.ImageOrientationPatient, TagFromName.PixelSpacing,
            TagFromName.SliceThickness, KVP, TagFromName.AcquisitionNumber};
    private static final AttributeTag[] OPTIONAL_FROM_SOURCE = {
            TagFromName.SpecificCharacterSet, TagFromName.IssuerOfPatientID, TagFromName.PatientAge,
            TagFromName.PatientSize, TagFromName.PatientWeight, TagFromName.PatientIdentityRemoved,
            TagFromName.DeidentificationMethod, TagFromName.StudyDescription, TagFromName.BodyPartExamined,
            TagFromName.SliceLocation, TagFromName.ContrastBolusAgent, TagFromName.LossyImageCompression,
            TagFromName.LossyImageCompressionRatio, TagFromName.LossyImageCompressionMethod};

    private final AttributeList source;
    private final int rows;
    private final int columns;
    private final short[] pixels;
    private final Builder options;
    private final String seriesInstanceUid;
    private final String sopInstanceUid;
    private final LocalDateTime created;

    private OverlayImageWriter(Builder b) {
        if (b.sourceImage == null) {
            throw new OverlayException("sourceImage: the CT slice's header is required, found null");
        }
        this.source = b.sourceImage;
        this.rows = positiveInt(TagFromName.Rows);
        this.columns = positiveInt(TagFromName.Columns);
        for (AttributeTag tag : new AttributeTag[] {TagFromName.SOPClassUID, TagFromName.SOPInstanceUID,
                TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID, TagFromName.FrameOfReferenceUID}) {
            if (!Uids.isValid(Attributes.string(source, tag))) {
                throw new OverlayException("sourceImage: " + tag + " must be a DICOM UID, found '" + Attributes.string(source, tag) + "'");
            }
        }
        requireValues(TagFromName.ImagePositionPatient, 3);
        requireValues(TagFromName.ImageOrientationPatient, 6);
        requireValues(TagFromName.PixelSpacing, 2);
        int n = rows * columns;
        if (b.hu == null || b.hu.length != n) {
            throw new OverlayException("hu: one value per pixel is required, Rows*Columns = " + n + ", found "
                    + (b.hu == null ? "null" : b.hu.length));
        }
        if (b.mask == null || b.mask.length != n) {
            throw new OverlayException("mask: one value per pixel is required, Rows*Columns = " + n + ", found "
                    + (b.mask == null ? "null" : b.mask.length));
        }
        for (int i = 0; i < n; i++) {
            if (b.mask[i] != 0 && b.mask[i] != 1) {
                throw new OverlayException("mask[" + i + "]: must be 0 or 1, found " + b.mask[i]);
            }
        }
        if (!(b.volumeMl >= 0) || Double.isInfinite(b.volumeMl)) {
            throw new OverlayException("volumeMl: must be a finite number >= 0, found " + b.volumeMl);
        }
        if (b.seriesDescription == null || b.seriesDescription.isBlank() || b.seriesDescription.length() > 64
                || !b.seriesDescription.toUpperCase(Locale.ROOT).contains("NOT FOR DIAGNOSIS")) {
            throw new OverlayException("seriesDescription: must be 1 to 64 characters saying NOT FOR DIAGNOSIS, found '"
                    + b.seriesDescription + "'");
        }
        if (b.seriesNumber < 0 || b.instanceNumber < 1) {
            throw new OverlayException("seriesNumber/instanceNumber: must be >= 0 and >= 1, found " + b.seriesNumber
                    + " and " + b.instanceNumber);
        }
        if (!(b.windowWidth >= 1)) {
            throw new OverlayException("window: width must be >= 1, found " + b.windowWidth);
        }
        if (b.seriesInstanceUid != null && (!Uids.isValid(b.seriesInstanceUid) || !Uids.isValid(b.sopInstanceUid))) {
            throw new OverlayException("uids: Series and SOP Instance UIDs must be DICOM UIDs, found '" + b.seriesInstanceUid
                    + "' and '" + b.sopInstanceUid + "'");
        }
        int[] box = textBox(b.volumeMl, columns);
        if (box[0] > columns || box[1] > rows) {
            throw new OverlayException("sourceImage: Rows x Columns must hold the burned-in text (" + box[1] + " x " + box[0]
                    + " pixels), found " + rows + " x " + columns);
        }
        this.options = b.copy();
        this.pixels = BurnedInPixels.burn(b.hu, b.mask, rows, columns, b.volumeMl);
        this.seriesInstanceUid = b.seriesInstanceUid != null ? b.seriesInstanceUid : Uids.newUid();
        this.sopInstanceUid = b.sopInstanceUid != null ? b.sopInstanceUid : Uids.newUid();
        this.created = b.contentDateTime != null ? b.contentDateTime : LocalDateTime.now();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String sopInstanceUid() {
        return sopInstanceUid;
    }

    /** Width and height (pixels) of the text box in the top left corner of an image {@code columns} wide. */
    public static int[] textBox(double volumeMl, int columns) {
        return BurnedInText.boxSize(text(volumeMl), BurnedInPixels.scale(columns));
    }

    /** The lines burned into the top left corner. */
    static String[] text(double volumeMl) {
        return BurnedInPixels.text(volumeMl);
    }

    /** The image's data set (without File Meta Information). */
    public AttributeList build() {
        AttributeList img = new AttributeList();
        for (AttributeTag tag : PATIENT_AND_STUDY) {
            Attributes.copyOrEmpty(img, source, tag);
        }
        for (AttributeTag tag : OPTIONAL_FROM_SOURCE) {
            Attributes.copyIfPresent(img, source, tag);
        }
        // Laterality (Type 2C) follows the source: its value if it has one, absent for a known unpaired body part.
        Attribute laterality = source.get(TagFromName.Laterality);
        if (laterality != null && laterality.getVM() > 0) {
            img.put(laterality);
        } else if (Attributes.string(source, TagFromName.BodyPartExamined) == null) {
            Attributes.put(img, TagFromName.Laterality);
        }
        NewSeries series = new NewSeries(SopClasses.CT_IMAGE_STORAGE, "CT", seriesInstanceUid, options.seriesNumber, options.seriesDescription, created);
        series.putInto(img, sopInstanceUid);
        Attributes.put(img, TagFromName.Manufacturer, MANUFACTURER);
        Attributes.put(img, TagFromName.ManufacturerModelName, MANUFACTURER);
        Attributes.put(img, TagFromName.SoftwareVersions, MANUFACTURER + " " + options.softwareVersion);

        Attributes.put(img, TagFromName.InstanceNumber, Integer.toString(options.instanceNumber));
        Attributes.put(img, TagFromName.ContentDate, series.date());
        Attributes.put(img, TagFromName.ContentTime, series.time());
        Attributes.put(img, TagFromName.ImageType, "DERIVED", "SECONDARY", "AXIAL");
        Attributes.put(img, TagFromName.DerivationDescription, "Liver outline and volume burned in by livernode"
                + (options.model == null ? "" : " (model " + options.model + ")") + "; not for diagnosis");
        Attributes.put(img, TagFromName.BurnedInAnnotation, "YES");
        Attributes.put(img, TagFromName.ImageComments, "NOT FOR DIAGNOSIS: shows the automatic liver segmentation only");
        img.put(sourceImageSequence());

        Attributes.put(img, TagFromName.SamplesPerPixel, "1");
        Attributes.put(img, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        Attributes.put(img, TagFromName.Rows, Integer.toString(rows));
        Attributes.put(img, TagFromName.Columns, Integer.toString(columns));
        Attributes.put(img, TagFromName.BitsAllocated, "16");
        Attributes.put(img, TagFromName.BitsStored, "16");
        Attributes.put(img, TagFromName.HighBit, "15");
        Attributes.put(img, TagFromName.PixelRepresentation, "1");
        Attributes.put(img, TagFromName.RescaleIntercept, "0");
        Attributes.put(img, TagFromName.RescaleSlope, "1");
        Attributes.put(img, TagFromName.WindowCenter, decimal(options.windowCenter));
        Attributes.put(img, TagFromName.WindowWidth, decimal(options.windowWidth));
        Attributes.put(img, TagFromName.WindowCenterWidthExplanation, "LIVER OUTLINE");
        try {
            OtherWordAttribute data = new OtherWordAttribute(TagFromName.PixelData);
            data.setValues(pixels);
            img.put(data);
        } catch (DicomException e) {
            throw new OverlayException("cannot encode Pixel Data: " + e.getMessage(), e);
        }
        return img;
    }

    private SequenceAttribute sourceImageSequence() {
        AttributeList ref = new AttributeList();
        Attributes.put(ref, TagFromName.ReferencedSOPClassUID, Attributes.string(source, TagFromName.SOPClassUID));
        Attributes.put(ref, TagFromName.ReferencedSOPInstanceUID, Attributes.string(source, TagFromName.SOPInstanceUID));
        Attributes.putSequence(ref, TagFromName.PurposeOfReferenceCodeSequence,
                List.of(Attributes.codeItem("121322", "DCM", "Source image for image processing operation")));
        return Attributes.putSequence(new AttributeList(), TagFromName.SourceImageSequence, List.of(ref));
    }

    /** Writes the image as a DICOM file (Explicit VR Little Endian), atomically (temporary file, then move). */
    public void write(Path file) throws IOException {
        DicomFiles.writeAtomically(build(), file, MANUFACTURER, "overlay " + sopInstanceUid);
    }

    private int positiveInt(AttributeTag tag) {
        int v = Attribute.getSingleIntegerValueOrDefault(source, tag, 0);
        if (v < 1) {
            throw new OverlayException("sourceImage: " + tag + " must be a positive integer, found '" + Attributes.string(source, tag) + "'");
        }
        return v;
    }

    private void requireValues(AttributeTag tag, int count) {
        Attribute a = source.get(tag);
        if (a == null || a.getVM() != count) {
            throw new OverlayException("sourceImage: " + tag + " must hold " + count + " numbers (the overlay keeps the source's geometry), found "
                    + (a == null ? "none" : a.getVM() + " values"));
        }
    }

    private static String decimal(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Options of an {@link OverlayImageWriter}; {@link #build()} validates them all. */
    public static final class Builder {
        private AttributeList sourceImage;
        private float[] hu;
        private byte[] mask;
        private double volumeMl = Double.NaN;
        private int seriesNumber = 903;
        private String seriesDescription = "NOT FOR DIAGNOSIS liver outline (livernode)";
        private int instanceNumber = 1;
        private String softwareVersion = "dev";
        private double windowCenter = 40;
        private double windowWidth = 400;
        private String seriesInstanceUid;
        private String sopInstanceUid;
        private LocalDateTime contentDateTime;
        private String model;

        private Builder() {
        }

        /** The CT slice's header (its pixels come as HU through {@link #setHu}). */
        public Builder setSourceImage(AttributeList header) {
            this.sourceImage = header;
            return this;
        }

        /** The slice's HU, Rows*Columns values, row-major. */
        public Builder setHu(float[] hu) {
            this.hu = hu;
            return this;
        }

        /** The liver mask of the slice, as in the SEG: Rows*Columns values of 0 or 1. */
        public Builder setMask(byte[] mask) {
            this.mask = mask;
            return this;
        }

        /** The liver volume of the whole series, written on every image. */
        public Builder setVolumeMl(double volumeMl) {
            this.volumeMl = volumeMl;
            return this;
        }

        public Builder setSeriesNumber(int seriesNumber) {
            this.seriesNumber = seriesNumber;
            return this;
        }

        /** Must say NOT FOR DIAGNOSIS. */
        public Builder setSeriesDescription(String seriesDescription) {
            this.seriesDescription = seriesDescription;
            return this;
        }

        public Builder setInstanceNumber(int instanceNumber) {
            this.instanceNumber = instanceNumber;
            return this;
        }

        public Builder setSoftwareVersion(String softwareVersion) {
            this.softwareVersion = softwareVersion;
            return this;
        }

        /** Window Center/Width (HU); default 40/400, an abdominal soft-tissue window. */
        public Builder optWindow(double center, double width) {
            this.windowCenter = center;
            this.windowWidth = width;
            return this;
        }

        public Builder optUids(String seriesInstanceUid, String sopInstanceUid) {
            this.seriesInstanceUid = seriesInstanceUid;
            this.sopInstanceUid = sopInstanceUid;
            return this;
        }

        /** The model that made the mask (name and version, as the SEG's algorithm), named in Derivation Description. */
        public Builder optModel(String nameAndVersion) {
            this.model = nameAndVersion;
            return this;
        }

        public Builder optContentDateTime(LocalDateTime when) {
            this.contentDateTime = when;
            return this;
        }

        public OverlayImageWriter build() {
            return new OverlayImageWriter(this);
        }

        private Builder copy() {
            Builder c = new Builder();
            c.seriesNumber = seriesNumber;
            c.seriesDescription = seriesDescription;
            c.instanceNumber = instanceNumber;
            c.softwareVersion = softwareVersion;
            c.windowCenter = windowCenter;
            c.windowWidth = windowWidth;
            c.model = model;
            return c;
        }
    }
}
