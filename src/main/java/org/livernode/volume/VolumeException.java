package org.livernode.volume;

/**
 * A CT series (or a volume file) that cannot be turned into a trustworthy volume. The message names the rule that
 * failed and the value found, so that it can be shown to the user as the reason a series was refused.
 * Unchecked so that lazy slice decoding can be used from streams; callers at the edge catch it.
 */
public class VolumeException extends RuntimeException {

    public VolumeException(String message) {
        super(message);
    }

    public VolumeException(String message, Throwable cause) {
        super(message, cause);
    }
}
