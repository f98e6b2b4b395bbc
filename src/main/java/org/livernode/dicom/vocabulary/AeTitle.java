package org.livernode.dicom.vocabulary;

/** The AE title rule (PS3.5 6.2, VR AE): 1 to 16 printable ASCII characters, no backslash, not only spaces. */
public final class AeTitle {

    private AeTitle() {
    }

    public static boolean isValid(String aeTitle) {
        return aeTitle != null && !aeTitle.isBlank() && aeTitle.length() <= 16 && !aeTitle.contains("\\")
                && aeTitle.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    }

    /**
     * @param setting what the value is, for the message (e.g. "livernode.dicom.ae-title")
     * @throws IllegalArgumentException naming the setting, the rule and the value found
     */
    public static String require(String setting, String aeTitle) {
        if (!isValid(aeTitle)) {
            throw new IllegalArgumentException(setting + ": an AE title must be 1 to 16 printable ASCII characters "
                    + "without '\\', found '" + aeTitle + "'");
        }
        return aeTitle;
    }
}
