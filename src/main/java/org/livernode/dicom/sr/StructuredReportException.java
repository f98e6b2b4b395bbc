package org.livernode.dicom.sr;

/** A Structured Report cannot be built from the given values; the message names the value and the rule. */
public class StructuredReportException extends IllegalArgumentException {
    public StructuredReportException(String message) {
        super(message);
    }

    public StructuredReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
