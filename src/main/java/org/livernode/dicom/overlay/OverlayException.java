package org.livernode.dicom.overlay;

/** An overlay image cannot be made from the given values; the message names the value and the rule. */
public class OverlayException extends IllegalArgumentException {
    public OverlayException(String message) {
        super(message);
    }

    public OverlayException(String message, Throwable cause) {
        super(message, cause);
    }
}
