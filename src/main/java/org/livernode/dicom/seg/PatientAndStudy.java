package org.livernode.dicom.seg;

import org.livernode.dicom.attributes.Attributes;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;

/** The Patient, General Study and de-identification attributes a SEG takes from its first source, made valid. */
final class PatientAndStudy {

    private static final AttributeTag[] PATIENT_AND_STUDY = {
            TagFromName.PatientName, TagFromName.PatientID, TagFromName.PatientBirthDate, TagFromName.PatientSex,
            TagFromName.StudyDate, TagFromName.StudyTime,
            TagFromName.ReferringPhysicianName, TagFromName.StudyID, TagFromName.AccessionNumber};
    private static final AttributeTag[] OPTIONAL_PATIENT_AND_STUDY = {
            TagFromName.SpecificCharacterSet, TagFromName.IssuerOfPatientID, TagFromName.OtherPatientIDsSequence,
            TagFromName.PatientAge, TagFromName.PatientSize, TagFromName.PatientWeight, TagFromName.PatientComments,
            TagFromName.PatientIdentityRemoved, TagFromName.DeidentificationMethod,
            TagFromName.DeidentificationMethodCodeSequence, TagFromName.StudyDescription,
            TagFromName.ClinicalTrialSponsorName, TagFromName.ClinicalTrialProtocolID, TagFromName.ClinicalTrialProtocolName,
            TagFromName.ClinicalTrialSiteID, TagFromName.ClinicalTrialSiteName, TagFromName.ClinicalTrialSubjectID,
            TagFromName.ClinicalTrialSubjectReadingID};

    static final String DEIDENTIFICATION_NOT_STATED = "Not stated by the source images";

    private PatientAndStudy() {
    }

    static void copy(AttributeList seg, AttributeList first) {
        for (AttributeTag tag : PATIENT_AND_STUDY) {
            CopiedAttributes.copyType2(seg, first, tag);
        }
        for (AttributeTag tag : OPTIONAL_PATIENT_AND_STUDY) {
            CopiedAttributes.copyType3(seg, first, tag);
        }
        Attributes.put(seg, TagFromName.StudyInstanceUID, Attributes.string(first, TagFromName.StudyInstanceUID));
        if ("YES".equals(Attributes.string(seg, TagFromName.PatientIdentityRemoved))
                && seg.get(TagFromName.DeidentificationMethod) == null && seg.get(TagFromName.DeidentificationMethodCodeSequence) == null) {
            // Patient Identity Removed YES requires a method (Type 1C); anonymisers often leave it out.
            Attributes.put(seg, TagFromName.DeidentificationMethod, DEIDENTIFICATION_NOT_STATED);
        }
    }
}
