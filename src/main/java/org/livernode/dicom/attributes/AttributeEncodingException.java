package org.livernode.dicom.attributes;

/** A value that the attribute's VR cannot hold; the message names the attribute and the value. */
public class AttributeEncodingException extends IllegalArgumentException {
    public AttributeEncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
