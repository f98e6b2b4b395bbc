package org.livernode.dicom;

/** A DIMSE response status (PS3.7 C) and an optional Error Comment (0000,0902) saying why. */
public record DimseStatus(int code, String errorComment) {
    public static final int SUCCESS = 0x0000;
    public static final int PROCESSING_FAILURE = 0x0110;
    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    public static final int UNRECOGNIZED_OPERATION = 0x0211;
    public static final int OUT_OF_RESOURCES = 0xA700;
    public static final int DATASET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    public static final int CANNOT_UNDERSTAND = 0xC000;

    public static DimseStatus success() {
        return new DimseStatus(SUCCESS, null);
    }

    public static DimseStatus failure(int code, String comment) {
        return new DimseStatus(code, comment);
    }

    public boolean isSuccess() {
        return code == SUCCESS;
    }

    /** Short name for logs and metrics tags. */
    public String reason() {
        return switch (code) {
            case SUCCESS -> "success";
            case OUT_OF_RESOURCES -> "out-of-resources";
            case DATASET_DOES_NOT_MATCH_SOP_CLASS -> "dataset-does-not-match-sop-class";
            case CANNOT_UNDERSTAND -> "cannot-understand";
            case SOP_CLASS_NOT_SUPPORTED -> "sop-class-not-supported";
            case UNRECOGNIZED_OPERATION -> "unrecognized-operation";
            default -> "processing-failure";
        };
    }

    @Override
    public String toString() {
        return String.format("%04X", code) + (errorComment == null ? "" : " (" + errorComment + ")");
    }
}
