package org.livernode.dicom.vocabulary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the node reads a Code String (CS, e.g. Modality, Image Type, Photometric Interpretation): without the
 * padding real senders leave around each value (spaces, and NUL bytes where PS3.5 allows only spaces), upper case.
 * The one home of that rule: {@code "DERIVED \PRIMARY"} and {@code "CT\0"} read as DERIVED, PRIMARY and CT.
 */
public final class CodeStrings {

    private CodeStrings() {
    }

    /** One value without leading or trailing spaces and NULs, in upper case; null reads as empty. */
    public static String value(String raw) {
        if (raw == null) {
            return "";
        }
        int start = 0;
        int end = raw.length();
        while (start < end && isPadding(raw.charAt(start))) {
            start++;
        }
        while (end > start && isPadding(raw.charAt(end - 1))) {
            end--;
        }
        return raw.substring(start, end).toUpperCase(Locale.ROOT);
    }

    /** The values of a backslash-delimited Code String, each as {@link #value}; empty values are kept (position matters). */
    public static List<String> values(String delimited) {
        List<String> values = new ArrayList<>();
        if (delimited == null || value(delimited).isEmpty()) {
            return values;
        }
        for (String v : delimited.split("\\\\", -1)) {
            values.add(value(v));
        }
        return values;
    }

    private static boolean isPadding(char c) {
        return c == ' ' || c == '\0';
    }
}
