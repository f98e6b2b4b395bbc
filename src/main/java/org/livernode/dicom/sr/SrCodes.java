package org.livernode.dicom.sr;

import org.livernode.dicom.seg.Code;

/** The coded concepts of the node's TID 1500 Measurement Report (PS3.16 Annex D for DCM, SNOMED CT, UCUM). */
public final class SrCodes {
    public static final Code IMAGING_MEASUREMENT_REPORT = dcm("126000", "Imaging Measurement Report");
    public static final Code LANGUAGE = dcm("121049", "Language of Content Item and Descendants");
    public static final Code ENGLISH = new Code("en-US", "RFC5646", "English (United States)");
    public static final Code OBSERVER_TYPE = dcm("121005", "Observer Type");
    public static final Code DEVICE = dcm("121007", "Device");
    public static final Code DEVICE_OBSERVER_UID = dcm("121012", "Device Observer UID");
    public static final Code DEVICE_OBSERVER_NAME = dcm("121013", "Device Observer Name");
    public static final Code DEVICE_OBSERVER_MANUFACTURER = dcm("121014", "Device Observer Manufacturer");
    public static final Code DEVICE_OBSERVER_MODEL_NAME = dcm("121015", "Device Observer Model Name");
    public static final Code PROCEDURE_REPORTED = dcm("121058", "Procedure reported");
    public static final Code IMAGING_PROCEDURE = sct("363679005", "Imaging procedure");
    public static final Code IMAGE_LIBRARY = dcm("111028", "Image Library");
    public static final Code IMAGE_LIBRARY_GROUP = dcm("126200", "Image Library Group");
    public static final Code IMAGING_MEASUREMENTS = dcm("126010", "Imaging Measurements");
    public static final Code MEASUREMENT_GROUP = dcm("125007", "Measurement Group");
    public static final Code TRACKING_IDENTIFIER = dcm("112039", "Tracking Identifier");
    public static final Code TRACKING_UNIQUE_IDENTIFIER = dcm("112040", "Tracking Unique Identifier");
    public static final Code FINDING = dcm("121071", "Finding");
    public static final Code REFERENCED_SEGMENT = dcm("121191", "Referenced Segment");
    public static final Code SOURCE_SERIES_FOR_SEGMENTATION = dcm("121232", "Source series for segmentation");
    public static final Code FINDING_SITE = sct("363698007", "Finding Site");
    public static final Code ALGORITHM_NAME = dcm("111001", "Algorithm Name");
    public static final Code ALGORITHM_VERSION = dcm("111003", "Algorithm Version");
    public static final Code VOLUME = sct("118565006", "Volume");
    public static final Code ATTENUATION_COEFFICIENT = dcm("112031", "Attenuation Coefficient");
    public static final Code DERIVATION = dcm("121401", "Derivation");
    public static final Code MEAN = sct("373098007", "Mean");
    public static final Code STANDARD_DEVIATION = sct("386136009", "Standard Deviation");
    public static final Code MILLILITER = new Code("ml", "UCUM", "milliliter");
    public static final Code HOUNSFIELD_UNIT = new Code("[hnsf'U]", "UCUM", "Hounsfield unit");

    private SrCodes() {
    }

    private static Code dcm(String value, String meaning) {
        return new Code(value, "DCM", meaning);
    }

    private static Code sct(String value, String meaning) {
        return new Code(value, "SCT", meaning);
    }
}
