package org.livernode.dicom.seg;

import org.livernode.dicom.attributes.Attributes;
import org.livernode.dicom.attributes.NewSeries;
import org.livernode.dicom.attributes.DicomFiles;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.dicom.vocabulary.Uids;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Builds a DICOM Segmentation (Segmentation Storage, BINARY, one segment) over a CT series: same patient, study and
 * Frame of Reference (none when the sources have none), a new series, one frame per source frame (in the given order)
 * referencing that slice, or that frame of a multi-frame source (Referenced Frame Number). What is copied from the
 * sources is made valid first ({@link CopiedAttributes}); Lossy Image Compression follows the sources
 * ({@link LossyCompression}). Everything is checked when the writer is built, so {@link #build()} and
 * {@link #write(Path)} cannot fail on input.
 *
 * <pre>{@code
 * SegmentationWriter seg = SegmentationWriter.builder()
 *     .setSourceImages(headers).setMasks(masks)
 *     .setAlgorithm("eas-unet-lits", "1.0.0")
 *     .build();
 * seg.write(out);
 * }</pre>
 */
public final class SegmentationWriter {

    public static final String MANUFACTURER = "livernode";
    private static final Pattern CODE_STRING = Pattern.compile("[A-Z0-9_ ]{1,16}");

    private final SourceImages sources;
    private final SegmentationFrames frames;
    private final LossyCompression lossyCompression;
    private final Builder options;
    private final String seriesInstanceUid;
    private final String sopInstanceUid;
    private final String dimensionOrganizationUid;
    private final LocalDateTime created;

    private SegmentationWriter(Builder b) {
        requireText("algorithmName", b.algorithmName, 64);
        requireText("algorithmVersion", b.algorithmVersion, 64);
        requireText("seriesDescription", b.seriesDescription, 64);
        requireText("contentCreatorName", b.contentCreatorName, 64);
        requireText("manufacturerModelName", b.manufacturerModelName, 64);
        requireText("deviceSerialNumber", b.deviceSerialNumber, 64);
        requireText("contentDescription", b.contentDescription, 64);
        requireText("softwareVersion", b.softwareVersion, 48);
        if (b.contentLabel == null || !CODE_STRING.matcher(b.contentLabel).matches()) {
            throw new SegmentationException("contentLabel: must be 1 to 16 of A-Z, 0-9, space or _, found '" + b.contentLabel + "'");
        }
        if (b.seriesNumber < 0 || b.instanceNumber < 1) {
            throw new SegmentationException("seriesNumber/instanceNumber: must be >= 0 and >= 1, found "
                    + b.seriesNumber + " and " + b.instanceNumber);
        }
        Objects.requireNonNull(b.segment, "segment");
        this.options = b.copy();
        this.sources = new SourceImages(b.sourceImages, b.sourceFrames, b.masks);
        this.frames = new SegmentationFrames(sources, b.omitEmptyFrames);
        this.lossyCompression = LossyCompression.of(sources.instances);
        this.seriesInstanceUid = b.seriesInstanceUid != null ? b.seriesInstanceUid : Uids.newUid();
        this.sopInstanceUid = b.sopInstanceUid != null ? b.sopInstanceUid : Uids.newUid();
        this.dimensionOrganizationUid = Uids.newUid();
        this.created = b.contentDateTime != null ? b.contentDateTime : LocalDateTime.now();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String seriesInstanceUid() {
        return seriesInstanceUid;
    }

    public String sopInstanceUid() {
        return sopInstanceUid;
    }

    /** "01" when a source image had lossy compression (its attribute or its transfer syntax), else "00". */
    public String lossyImageCompression() {
        return lossyCompression.value();
    }

    /** How many frames the SEG holds (fewer than the source frames when empty frames are omitted). */
    public int frameCount() {
        return frames.frameCount();
    }

    /** The Segmentation data set (without File Meta Information). */
    public AttributeList build() {
        AttributeList seg = new AttributeList();
        AttributeList first = sources.instances.get(0);

        PatientAndStudy.copy(seg, first);
        NewSeries series = new NewSeries(SopClasses.SEGMENTATION_STORAGE, "SEG", seriesInstanceUid, options.seriesNumber, options.seriesDescription, created);
        series.putInto(seg, sopInstanceUid);

        if (sources.frameOfReferenceUid != null) {
            // The Frame of Reference module is conditional on the sources having one (PS3.3 A.51): never invent one.
            Attributes.put(seg, TagFromName.FrameOfReferenceUID, sources.frameOfReferenceUid);
            CopiedAttributes.copyType2(seg, first, TagFromName.PositionReferenceIndicator);
        }

        Attributes.put(seg, TagFromName.Manufacturer, MANUFACTURER);
        Attributes.put(seg, TagFromName.ManufacturerModelName, options.manufacturerModelName);
        Attributes.put(seg, TagFromName.DeviceSerialNumber, options.deviceSerialNumber);
        Attributes.put(seg, TagFromName.SoftwareVersions, softwareVersions());

        Attributes.put(seg, TagFromName.InstanceNumber, Integer.toString(options.instanceNumber));
        Attributes.put(seg, TagFromName.ContentDate, series.date());
        Attributes.put(seg, TagFromName.ContentTime, series.time());
        Attributes.put(seg, TagFromName.ImageType, "DERIVED", "PRIMARY");
        Attributes.put(seg, TagFromName.ContentLabel, options.contentLabel);
        Attributes.put(seg, TagFromName.ContentDescription, options.contentDescription);
        Attributes.put(seg, TagFromName.ContentCreatorName, options.contentCreatorName);

        Attributes.put(seg, TagFromName.SamplesPerPixel, "1");
        Attributes.put(seg, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        Attributes.put(seg, TagFromName.Rows, Integer.toString(sources.rows));
        Attributes.put(seg, TagFromName.Columns, Integer.toString(sources.columns));
        Attributes.put(seg, TagFromName.BitsAllocated, "1");
        Attributes.put(seg, TagFromName.BitsStored, "1");
        Attributes.put(seg, TagFromName.HighBit, "0");
        Attributes.put(seg, TagFromName.PixelRepresentation, "0");
        lossyCompression.addTo(seg);
        Attributes.put(seg, TagFromName.SegmentationType, "BINARY");
        DicomAttributes.putSequence(seg, TagFromName.SegmentSequence, segmentItem());

        frames.addTo(seg, dimensionOrganizationUid);
        frames.addCommonInstanceReference(seg);
        return seg;
    }

    /** Writes the SEG as a DICOM file (Explicit VR Little Endian), atomically (temporary file, then move). */
    public void write(Path file) throws IOException {
        DicomFiles.writeAtomically(build(), file, MANUFACTURER, "SEG " + sopInstanceUid);
    }

    private String[] softwareVersions() {
        return new String[] {MANUFACTURER + " " + options.softwareVersion,
                options.algorithmName + " " + options.algorithmVersion};
    }

    private AttributeList segmentItem() {
        SegmentDescription s = options.segment;
        AttributeList item = new AttributeList();
        Attributes.put(item, TagFromName.SegmentNumber, Integer.toString(SegmentationFrames.SEGMENT_NUMBER));
        Attributes.put(item, TagFromName.SegmentLabel, s.label());
        DicomAttributes.putShortText(item, DicomAttributes.SEGMENT_DESCRIPTION,
                s.label() + " by " + options.algorithmName + " " + options.algorithmVersion);
        Attributes.put(item, TagFromName.SegmentAlgorithmType, "AUTOMATIC");
        DicomAttributes.putLongString(item, DicomAttributes.SEGMENT_ALGORITHM_NAME, options.algorithmName);
        DicomAttributes.putCode(item, TagFromName.SegmentedPropertyCategoryCodeSequence, s.category());
        DicomAttributes.putCode(item, TagFromName.SegmentedPropertyTypeCodeSequence, s.type());
        DicomAttributes.putUnsignedShorts(item, TagFromName.RecommendedDisplayCIELabValue, s.recommendedCieLab());
        return item;
    }

    private static void requireText(String parameter, String value, int maxLength) {
        if (value == null || value.isBlank() || value.length() > maxLength || value.contains("\\")) {
            throw new SegmentationException(parameter + ": must be 1 to " + maxLength + " characters without '\\', found "
                    + (value == null ? "null" : "'" + value + "'"));
        }
    }


    /** Options of a {@link SegmentationWriter}; {@link #build()} validates them all. */
    public static final class Builder {
        private List<AttributeList> sourceImages;
        private List<SourceFrame> sourceFrames;
        private List<byte[]> masks;
        private SegmentDescription segment = SegmentDescription.liver();
        private String algorithmName;
        private String algorithmVersion;
        private int seriesNumber = 901;
        private String seriesDescription = "Liver segmentation (livernode)";
        private int instanceNumber = 1;
        private String contentLabel = "LIVER";
        private String contentDescription = "Automatic liver segmentation";
        private String contentCreatorName = "livernode^";
        private String manufacturerModelName = "livernode";
        private String deviceSerialNumber = "livernode";
        private String softwareVersion = "dev";
        private boolean omitEmptyFrames;
        private String seriesInstanceUid;
        private String sopInstanceUid;
        private LocalDateTime contentDateTime;

        private Builder() {
        }

        /**
         * Source CT headers (pixel data not needed; with the File Meta Information's Transfer Syntax UID when known).
         * Without {@link #optSourceFrames}, every frame of every header is a source frame, in this order: one per
         * single-frame image, one per frame of a multi-frame image (Enhanced CT). Repeats of an instance count once.
         */
        public Builder setSourceImages(List<AttributeList> headers) {
            this.sourceImages = headers;
            return this;
        }

        /**
         * The source frames in SEG frame order, each a frame of one of the source images (e.g. the frames of an
         * Enhanced CT image sorted along the normal); default: {@link SourceFrame#framesOf} of every source image.
         */
        public Builder optSourceFrames(List<SourceFrame> frames) {
            this.sourceFrames = frames;
            return this;
        }

        /** One mask per source frame, Rows*Columns values of 0 or 1, row-major. */
        public Builder setMasks(List<byte[]> masks) {
            this.masks = masks;
            return this;
        }

        public Builder setSegment(SegmentDescription segment) {
            this.segment = segment;
            return this;
        }

        /** Segment Algorithm Name and its version (also in Software Versions and the Segment Description). */
        public Builder setAlgorithm(String name, String version) {
            this.algorithmName = name;
            this.algorithmVersion = version;
            return this;
        }

        public Builder setSeriesNumber(int seriesNumber) {
            this.seriesNumber = seriesNumber;
            return this;
        }

        public Builder setSeriesDescription(String seriesDescription) {
            this.seriesDescription = seriesDescription;
            return this;
        }

        public Builder setInstanceNumber(int instanceNumber) {
            this.instanceNumber = instanceNumber;
            return this;
        }

        public Builder setContentLabel(String contentLabel) {
            this.contentLabel = contentLabel;
            return this;
        }

        public Builder setContentDescription(String contentDescription) {
            this.contentDescription = contentDescription;
            return this;
        }

        public Builder setContentCreatorName(String contentCreatorName) {
            this.contentCreatorName = contentCreatorName;
            return this;
        }

        public Builder setManufacturerModelName(String manufacturerModelName) {
            this.manufacturerModelName = manufacturerModelName;
            return this;
        }

        public Builder setDeviceSerialNumber(String deviceSerialNumber) {
            this.deviceSerialNumber = deviceSerialNumber;
            return this;
        }

        /** livernode's own version, first value of Software Versions (the algorithm's is the second). */
        public Builder setSoftwareVersion(String softwareVersion) {
            this.softwareVersion = softwareVersion;
            return this;
        }

        /** Leave out frames whose mask is all 0 (one empty frame is kept if every mask is empty). */
        public Builder optOmitEmptyFrames(boolean omit) {
            this.omitEmptyFrames = omit;
            return this;
        }

        /** Use these UIDs instead of new 2.25 UIDs (e.g. to re-create the same SEG). */
        public Builder optUids(String seriesInstanceUid, String sopInstanceUid) {
            this.seriesInstanceUid = seriesInstanceUid;
            this.sopInstanceUid = sopInstanceUid;
            return this;
        }

        public Builder optContentDateTime(LocalDateTime when) {
            this.contentDateTime = when;
            return this;
        }

        public SegmentationWriter build() {
            return new SegmentationWriter(this);
        }

        private Builder copy() {
            Builder c = new Builder();
            c.segment = segment;
            c.algorithmName = algorithmName;
            c.algorithmVersion = algorithmVersion;
            c.seriesNumber = seriesNumber;
            c.seriesDescription = seriesDescription;
            c.instanceNumber = instanceNumber;
            c.contentLabel = contentLabel;
            c.contentDescription = contentDescription;
            c.contentCreatorName = contentCreatorName;
            c.manufacturerModelName = manufacturerModelName;
            c.deviceSerialNumber = deviceSerialNumber;
            c.omitEmptyFrames = omitEmptyFrames;
            c.softwareVersion = softwareVersion;
            return c;
        }
    }
}
