package org.livernode.dicom.sr;

import org.livernode.dicom.attributes.Attributes;
import org.livernode.dicom.attributes.NewSeries;
import org.livernode.dicom.attributes.DicomFiles;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import org.livernode.dicom.seg.Code;
import org.livernode.dicom.seg.SegmentDescription;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.dicom.vocabulary.Uids;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;


/**
 * Builds an Enhanced SR (PS3.3 A.35.2) that follows TID 1500 "Measurement Report": the device as observer
 * (TID 1004), an Image Library of the source CT (TID 1600), and one Volumetric ROI measurement group (TID 1411)
 * for a segment of a DICOM SEG: tracking identifier and UID, finding and finding site, the Referenced Segment
 * (SEG SOP Instance UID and Segment Number), the source series, the algorithm (TID 4019) and, per TID 1419, the
 * volume in mL and the mean and standard deviation of the HU inside the segment.
 * Enhanced SR because the report needs no 3D coordinates (Comprehensive 3D SR adds only SCOORD3D), and it is the
 * older SOP class that more archives and RIS know. Everything is checked when the writer is built.
 *
 * <pre>{@code
 * MeasurementReportWriter sr = MeasurementReportWriter.builder()
 *     .setSourceImages(ctHeaders).setSegmentation(segSeriesUid, segSopUid, 1)
 *     .setVolumeMl(1523.4).setHuStatistics(104.2, 18.9).setAlgorithm("eas-unet-lits", "2")
 *     .build();
 * sr.write(file);
 * }</pre>
 */
public final class MeasurementReportWriter {

    public static final String MANUFACTURER = "livernode";
    private static final AttributeTag[] PATIENT_AND_STUDY = {
            TagFromName.PatientName, TagFromName.PatientID, TagFromName.PatientBirthDate, TagFromName.PatientSex,
            TagFromName.StudyInstanceUID, TagFromName.StudyDate, TagFromName.StudyTime,
            TagFromName.ReferringPhysicianName, TagFromName.StudyID, TagFromName.AccessionNumber};
    private static final AttributeTag[] OPTIONAL_PATIENT_AND_STUDY = {
            TagFromName.SpecificCharacterSet, TagFromName.IssuerOfPatientID, TagFromName.PatientAge,
            TagFromName.PatientSize, TagFromName.PatientWeight, TagFromName.PatientIdentityRemoved,
            TagFromName.DeidentificationMethod, TagFromName.StudyDescription};

    private final Builder options;
    private final List<AttributeList> sources;
    private final String seriesInstanceUid;
    private final String sopInstanceUid;
    private final String trackingUid;
    private final String deviceObserverUid;
    private final LocalDateTime created;
    private final ContentItem root;

    private MeasurementReportWriter(Builder b) {
        if (b.sourceImages == null || b.sourceImages.isEmpty()) {
            throw new StructuredReportException("sourceImages: the CT images the segmentation was made from are required, found "
                    + (b.sourceImages == null ? "null" : "none"));
        }
        AttributeList first = b.sourceImages.get(0);
        for (int k = 0; k < b.sourceImages.size(); k++) {
            AttributeList h = b.sourceImages.get(k);
            for (AttributeTag tag : new AttributeTag[] {TagFromName.SOPClassUID, TagFromName.SOPInstanceUID,
                    TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID}) {
                if (!Uids.isValid(Attributes.string(h, tag))) {
                    throw new StructuredReportException("sourceImages[" + k + "]: " + tag + " must be a DICOM UID, found '"
                            + Attributes.string(h, tag) + "'");
                }
            }
            for (AttributeTag tag : new AttributeTag[] {TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID}) {
                if (!Attributes.string(h, tag).equals(Attributes.string(first, tag))) {
                    throw new StructuredReportException("sourceImages[" + k + "]: " + tag + " must equal the first source's "
                            + Attributes.string(first, tag) + " (one series), found " + Attributes.string(h, tag));
                }
            }
        }
        if (!Uids.isValid(b.segSeriesInstanceUid) || !Uids.isValid(b.segSopInstanceUid)) {
            throw new StructuredReportException("segmentation: the SEG's Series and SOP Instance UIDs must be DICOM UIDs, found '"
                    + b.segSeriesInstanceUid + "' and '" + b.segSopInstanceUid + "'");
        }
        if (b.segmentNumber < 1 || b.segmentNumber > 0xFFFF) {
            throw new StructuredReportException("segmentNumber: must be within 1..65535 (segments are numbered from 1), found "
                    + b.segmentNumber);
        }
        if (!(b.volumeMl >= 0) || Double.isInfinite(b.volumeMl)) {
            throw new StructuredReportException("volumeMl: must be a finite number >= 0, found " + b.volumeMl);
        }
        if (b.volumeMl > 0 && (!Double.isFinite(b.meanHu) || !(b.standardDeviationHu >= 0) || Double.isInfinite(b.standardDeviationHu))) {
            throw new StructuredReportException("huStatistics: mean must be finite and standard deviation finite and >= 0, found "
                    + b.meanHu + " and " + b.standardDeviationHu);
        }
        requireText("algorithmName", b.algorithmName, 64);
        requireText("algorithmVersion", b.algorithmVersion, 64);
        requireText("trackingIdentifier", b.trackingIdentifier, 64);
        requireText("seriesDescription", b.seriesDescription, 64);
        requireText("deviceObserverName", b.deviceObserverName, 64);
        requireText("softwareVersion", b.softwareVersion, 48);
        if (b.seriesNumber < 0 || b.instanceNumber < 1) {
            throw new StructuredReportException("seriesNumber/instanceNumber: must be >= 0 and >= 1, found "
                    + b.seriesNumber + " and " + b.instanceNumber);
        }
        if (b.seriesInstanceUid != null && (!Uids.isValid(b.seriesInstanceUid) || !Uids.isValid(b.sopInstanceUid))) {
            throw new StructuredReportException("uids: Series and SOP Instance UIDs must be DICOM UIDs, found '"
                    + b.seriesInstanceUid + "' and '" + b.sopInstanceUid + "'");
        }
        this.options = b.copy();
        this.sources = List.copyOf(b.sourceImages);
        String sourceSeries = Attributes.string(first, TagFromName.SeriesInstanceUID);
        this.seriesInstanceUid = b.seriesInstanceUid != null ? b.seriesInstanceUid : Uids.newUid();
        this.sopInstanceUid = b.sopInstanceUid != null ? b.sopInstanceUid : Uids.newUid();
        // The same finding (this segment of this CT series) keeps its tracking UID in every report about it.
        this.trackingUid = Uids.fromName("livernode:" + sourceSeries + ":segment:" + b.segmentNumber + ":tracking");
        this.deviceObserverUid = Uids.fromName("livernode:device:" + b.deviceObserverName);
        this.created = b.contentDateTime != null ? b.contentDateTime : LocalDateTime.now();
        this.root = new MeasurementReportContent(b.deviceObserverName, deviceObserverUid, b.softwareVersion, b.findingSite,
                b.trackingIdentifier, trackingUid, b.segSopInstanceUid, b.segmentNumber, b.algorithmName, b.algorithmVersion,
                b.volumeMl, b.meanHu, b.standardDeviationHu).tree(sources, sourceSeries);
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

    public String trackingUid() {
        return trackingUid;
    }

    public String deviceObserverUid() {
        return deviceObserverUid;
    }

    /** The SR data set (without File Meta Information). */
    public AttributeList build() {
        AttributeList sr = new AttributeList();
        AttributeList first = sources.get(0);
        for (AttributeTag tag : PATIENT_AND_STUDY) {
            Attributes.copyOrEmpty(sr, first, tag);
        }
        for (AttributeTag tag : OPTIONAL_PATIENT_AND_STUDY) {
            Attributes.copyIfPresent(sr, first, tag);
        }
        NewSeries series = new NewSeries(SopClasses.ENHANCED_SR_STORAGE, "SR", seriesInstanceUid, options.seriesNumber, options.seriesDescription, created);
        series.putInto(sr, sopInstanceUid);
        Attributes.putSequence(sr, TagFromName.ReferencedPerformedProcedureStepSequence, List.of());

        Attributes.put(sr, TagFromName.Manufacturer, MANUFACTURER);
        Attributes.put(sr, TagFromName.ManufacturerModelName, MANUFACTURER);
        Attributes.put(sr, TagFromName.DeviceSerialNumber, options.deviceObserverName);
        Attributes.put(sr, TagFromName.SoftwareVersions, MANUFACTURER + " " + options.softwareVersion,
                options.algorithmName + " " + options.algorithmVersion);

        Attributes.put(sr, TagFromName.InstanceNumber, Integer.toString(options.instanceNumber));
        Attributes.put(sr, TagFromName.CompletionFlag, "COMPLETE");
        Attributes.put(sr, TagFromName.VerificationFlag, "UNVERIFIED");
        Attributes.put(sr, TagFromName.ContentDate, series.date());
        Attributes.put(sr, TagFromName.ContentTime, series.time());
        Attributes.putSequence(sr, TagFromName.PerformedProcedureCodeSequence, List.of());
        Attributes.putSequence(sr, TagFromName.CurrentRequestedProcedureEvidenceSequence, List.of(evidence(first)));
        root.writeTo(sr);
        return sr;
    }

    /** Every instance the content refers to: the CT slices and the SEG, both of this study. */
    private AttributeList evidence(AttributeList first) {
        List<AttributeList> ct = new ArrayList<>();
        for (AttributeList h : sources) {
            ct.add(sopReference(Attributes.string(h, TagFromName.SOPClassUID), Attributes.string(h, TagFromName.SOPInstanceUID)));
        }
        AttributeList ctSeries = new AttributeList();
        Attributes.put(ctSeries, TagFromName.SeriesInstanceUID, Attributes.string(first, TagFromName.SeriesInstanceUID));
        Attributes.putSequence(ctSeries, TagFromName.ReferencedSOPSequence, ct);
        AttributeList segSeries = new AttributeList();
        Attributes.put(segSeries, TagFromName.SeriesInstanceUID, options.segSeriesInstanceUid);
        Attributes.putSequence(segSeries, TagFromName.ReferencedSOPSequence,
                List.of(sopReference(SopClasses.SEGMENTATION_STORAGE, options.segSopInstanceUid)));
        AttributeList study = new AttributeList();
        Attributes.put(study, TagFromName.StudyInstanceUID, Attributes.string(first, TagFromName.StudyInstanceUID));
        Attributes.putSequence(study, TagFromName.ReferencedSeriesSequence, List.of(ctSeries, segSeries));
        return study;
    }

    private static AttributeList sopReference(String sopClass, String sopInstance) {
        AttributeList ref = new AttributeList();
        Attributes.put(ref, TagFromName.ReferencedSOPClassUID, sopClass);
        Attributes.put(ref, TagFromName.ReferencedSOPInstanceUID, sopInstance);
        return ref;
    }

    /** Writes the SR as a DICOM file (Explicit VR Little Endian), atomically (temporary file, then move). */
    public void write(Path file) throws IOException {
        DicomFiles.writeAtomically(build(), file, MANUFACTURER, "SR " + sopInstanceUid);
    }

    private static void requireText(String parameter, String value, int maxLength) {
        if (value == null || value.isBlank() || value.length() > maxLength || value.contains("\\")) {
            throw new StructuredReportException(parameter + ": must be 1 to " + maxLength + " characters without '\\', found "
                    + (value == null ? "null" : "'" + value + "'"));
        }
    }

    /** Options of a {@link MeasurementReportWriter}; {@link #build()} validates them all. */
    public static final class Builder {
        private List<AttributeList> sourceImages;
        private String segSeriesInstanceUid;
        private String segSopInstanceUid;
        private int segmentNumber = 1;
        private Code findingSite = SegmentDescription.LIVER;
        private String trackingIdentifier = "Liver";
        private double volumeMl = Double.NaN;
        private double meanHu = Double.NaN;
        private double standardDeviationHu = Double.NaN;
        private String algorithmName;
        private String algorithmVersion;
        private String deviceObserverName = "livernode";
        private int seriesNumber = 902;
        private String seriesDescription = "Liver volume report (livernode)";
        private int instanceNumber = 1;
        private String softwareVersion = "dev";
        private String seriesInstanceUid;
        private String sopInstanceUid;
        private LocalDateTime contentDateTime;

        private Builder() {
        }

        /** Headers of the CT images the SEG was made from (no pixel data needed). */
        public Builder setSourceImages(List<AttributeList> headers) {
            this.sourceImages = headers;
            return this;
        }

        /** The SEG and the number of the segment measured (Referenced Segment). */
        public Builder setSegmentation(String segSeriesInstanceUid, String segSopInstanceUid, int segmentNumber) {
            this.segSeriesInstanceUid = segSeriesInstanceUid;
            this.segSopInstanceUid = segSopInstanceUid;
            this.segmentNumber = segmentNumber;
            return this;
        }

        public Builder setVolumeMl(double volumeMl) {
            this.volumeMl = volumeMl;
            return this;
        }

        /** Mean and standard deviation of the HU inside the segment (not needed when the volume is 0). */
        public Builder setHuStatistics(double mean, double standardDeviation) {
            this.meanHu = mean;
            this.standardDeviationHu = standardDeviation;
            return this;
        }

        /** Algorithm Name and Version (TID 4019), e.g. the model card's name and version. */
        public Builder setAlgorithm(String name, String version) {
            this.algorithmName = name;
            this.algorithmVersion = version;
            return this;
        }

        /** Device Observer Name (TID 1004), also the seed of the Device Observer UID; default "livernode". */
        public Builder setDeviceObserverName(String name) {
            this.deviceObserverName = name;
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

        public Builder setSoftwareVersion(String softwareVersion) {
            this.softwareVersion = softwareVersion;
            return this;
        }

        /** Finding and Finding Site (default SNOMED CT 10200004 Liver) and the Tracking Identifier (default "Liver"). */
        public Builder optFinding(Code findingSite, String trackingIdentifier) {
            this.findingSite = java.util.Objects.requireNonNull(findingSite, "findingSite");
            this.trackingIdentifier = trackingIdentifier;
            return this;
        }

        /** Use these UIDs instead of new 2.25 UIDs (e.g. the job's, so a resend replaces). */
        public Builder optUids(String seriesInstanceUid, String sopInstanceUid) {
            this.seriesInstanceUid = seriesInstanceUid;
            this.sopInstanceUid = sopInstanceUid;
            return this;
        }

        public Builder optContentDateTime(LocalDateTime when) {
            this.contentDateTime = when;
            return this;
        }

        public MeasurementReportWriter build() {
            return new MeasurementReportWriter(this);
        }

        private Builder copy() {
            Builder c = new Builder();
            c.segSeriesInstanceUid = segSeriesInstanceUid;
            c.segSopInstanceUid = segSopInstanceUid;
            c.segmentNumber = segmentNumber;
            c.findingSite = findingSite;
            c.trackingIdentifier = trackingIdentifier;
            c.volumeMl = volumeMl;
            c.meanHu = meanHu;
            c.standardDeviationHu = standardDeviationHu;
            c.algorithmName = algorithmName;
            c.algorithmVersion = algorithmVersion;
            c.deviceObserverName = deviceObserverName;
            c.seriesNumber = seriesNumber;
            c.seriesDescription = seriesDescription;
            c.instanceNumber = instanceNumber;
            c.softwareVersion = softwareVersion;
            return c;
        }
    }
}
