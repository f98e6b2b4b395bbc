package org.livernode.dicom.seg;

import java.util.Objects;

/** A coded concept (Code Value, Coding Scheme Designator, Code Meaning), e.g. SNOMED CT 10200004 "Liver". */
public record Code(String value, String scheme, String meaning) {

    public Code {
        requireText("value", value);
        requireText("scheme", scheme);
        requireText("meaning", meaning);
    }

    private static void requireText(String parameter, String text) {
        if (Objects.requireNonNull(text, parameter).isBlank()) {
            throw new IllegalArgumentException("Code." + parameter + ": must not be blank, found '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return "(" + value + ", " + scheme + ", \"" + meaning + "\")";
    }
}
