package org.livernode.dicom.seg;

/** A Segmentation that cannot be built from the given input, or a file that is not a readable BINARY SEG. */
public class SegmentationException extends RuntimeException {

    public SegmentationException(String message) {
        super(message);
    }

    public SegmentationException(String message, Throwable cause) {
        super(message, cause);
    }
}
