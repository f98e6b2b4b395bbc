package org.livernode.dicom.seg;

import org.livernode.dicom.attributes.Attributes;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.SpecificCharacterSet;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.ValueRepresentation;
import org.livernode.dicom.vocabulary.Uids;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Attributes copied from a source image into the SEG, made valid for their VR (PS3.5 6.2) first, because real
 * sources carry what dciodvfy refuses: padding with spaces or NUL is stripped; Decimal Strings longer than 16
 * characters are re-formatted with the most precision 16 allow; lower-case Code Strings are upper-cased; texts
 * lose control characters and are cut to their VR's length; a date, time, age, number or UID that is still not
 * valid is left out (Type 3) or left empty (Type 2), never written as found. Values a rule enumerates (Patient's
 * Sex) must be one of them.
 */
final class CopiedAttributes {

    private static final Pattern CODE_STRING = Pattern.compile("[A-Z0-9 _]{0,16}");
    private static final Pattern DATE = Pattern.compile("[0-9]{8}");
    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3])([0-5][0-9]([0-5][0-9](\\.[0-9]{1,6})?)?)?");
    private static final Pattern AGE = Pattern.compile("[0-9]{3}[DWMY]");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,12}");
    private static final Map<AttributeTag, Set<String>> ENUMERATED = Map.of(
            TagFromName.PatientSex, Set.of("M", "F", "O"),
            TagFromName.PatientIdentityRemoved, Set.of("YES", "NO"));

    private CopiedAttributes() {
    }

    /** Copies the source's value made valid, else puts the attribute empty (Type 2). */
    static void copyType2(AttributeList target, AttributeList source, AttributeTag tag) {
        Attribute a = valid(source, tag);
        if (a != null) {
            target.put(a);
        } else {
            Attributes.put(target, tag);
        }
    }

    /** Copies the source's value made valid, else leaves the attribute out (Type 3). */
    static void copyType3(AttributeList target, AttributeList source, AttributeTag tag) {
        Attribute a = valid(source, tag);
        if (a != null) {
            target.put(a);
        }
    }

    /** The source's attribute with valid values only, or null when it is absent, empty or cannot be made valid. */
    static Attribute valid(AttributeList source, AttributeTag tag) {
        Attribute a = source == null ? null : source.get(tag);
        if (a == null || a.getVM() == 0 && !(a instanceof SequenceAttribute)) {
            return null;
        }
        if (a instanceof SequenceAttribute seq) {
            return validSequence(seq);
        }
        byte[] vr = a.getVR();
        String[] values;
        if (ValueRepresentation.isUnknownVR(vr)) {
            vr = DicomDictionary.StandardDictionary.getValueRepresentationFromTag(tag);
            if (vr == null || !isText(vr)) {
                return null;
            }
            try {
                values = new String(a.getByteValues(), StandardCharsets.ISO_8859_1).split("\\\\", -1);
            } catch (DicomException e) {
                return null;
            }
        } else if (!isText(vr)) {
            return a;
        } else {
            try {
                values = a.getStringValues();
            } catch (DicomException e) {
                return null;
            }
            if (values == null) {
                return null;
            }
        }
        String[] fixed = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            fixed[i] = validValue(tag, vr, values[i]);
            if (fixed[i] == null) {
                return null;
            }
        }
        if (String.join("", fixed).isEmpty()) {
            return null;
        }
        try {
            Attribute copy = AttributeFactory.newAttribute(tag, vr, new SpecificCharacterSet(source));
            for (String v : fixed) {
                copy.addValue(v);
            }
            return copy;
        } catch (DicomException e) {
            return null;
        }
    }

    /** One value made valid for its VR, or null when it cannot be. */
    static String validValue(AttributeTag tag, byte[] vr, String raw) {
        boolean text = ValueRepresentation.isShortTextVR(vr) || ValueRepresentation.isLongTextVR(vr)
                || ValueRepresentation.isUnlimitedTextVR(vr);
        String v = text ? stripTrailing(raw) : Attributes.strip(raw);
        String result;
        if (ValueRepresentation.isDecimalStringVR(vr)) {
            result = v.isEmpty() ? "" : DecimalStrings.revalidate(v);
        } else if (ValueRepresentation.isIntegerStringVR(vr)) {
            result = v.isEmpty() || INTEGER.matcher(v).matches() && fitsInt(v) ? v : null;
        } else if (ValueRepresentation.isCodeStringVR(vr)) {
            String upper = v.toUpperCase(Locale.ROOT);
            result = CODE_STRING.matcher(upper).matches() ? upper : null;
        } else if (ValueRepresentation.isDateVR(vr)) {
            String digits = v.replace(".", "").replace("-", "");
            result = v.isEmpty() ? "" : isDate(digits) ? digits : null;
        } else if (ValueRepresentation.isTimeVR(vr)) {
            String t = v.replace(":", "");
            result = v.isEmpty() || TIME.matcher(t).matches() ? t : null;
        } else if (ValueRepresentation.isAgeStringVR(vr)) {
            result = v.isEmpty() || AGE.matcher(v).matches() ? v : null;
        } else if (ValueRepresentation.isUniqueIdentifierVR(vr)) {
            result = v.isEmpty() || Uids.isValid(v) ? v : null;
        } else if (ValueRepresentation.isPersonNameVR(vr)) {
            result = personName(v);
        } else if (ValueRepresentation.isShortStringVR(vr)) {
            result = cut(printable(v, false), 16);
        } else if (ValueRepresentation.isLongStringVR(vr)) {
            result = cut(printable(v, false), 64);
        } else if (ValueRepresentation.isShortTextVR(vr)) {
            result = cut(printable(v, true), 1024);
        } else if (ValueRepresentation.isLongTextVR(vr)) {
            result = cut(printable(v, true), 10240);
        } else if (ValueRepresentation.isUnlimitedTextVR(vr)) {
            result = printable(v, true);
        } else {
            result = v;
        }
        Set<String> allowed = ENUMERATED.get(tag);
        if (result != null && allowed != null && !result.isEmpty() && !allowed.contains(result)) {
            return null;
        }
        return result;
    }

    private static boolean isText(byte[] vr) {
        return ValueRepresentation.isDecimalStringVR(vr) || ValueRepresentation.isIntegerStringVR(vr)
                || ValueRepresentation.isCodeStringVR(vr) || ValueRepresentation.isDateVR(vr)
                || ValueRepresentation.isTimeVR(vr) || ValueRepresentation.isAgeStringVR(vr)
                || ValueRepresentation.isUniqueIdentifierVR(vr) || ValueRepresentation.isPersonNameVR(vr)
                || ValueRepresentation.isShortStringVR(vr) || ValueRepresentation.isLongStringVR(vr)
                || ValueRepresentation.isShortTextVR(vr) || ValueRepresentation.isLongTextVR(vr)
                || ValueRepresentation.isUnlimitedTextVR(vr);
    }

    /** A sequence whose items' attributes are all valid after the same rules, else null (left out). */
    private static SequenceAttribute validSequence(SequenceAttribute seq) {
        SequenceAttribute copy = new SequenceAttribute(seq.getTag());
        for (int i = 0; i < seq.getNumberOfItems(); i++) {
            SequenceItem item = seq.getItem(i);
            AttributeList in = item.getAttributeList();
            AttributeList out = new AttributeList();
            for (Attribute a : in.values()) {
                Attribute v = valid(in, a.getTag());
                if (v == null) {
                    return null;
                }
                out.put(v);
            }
            copy.addItem(out);
        }
        return copy;
    }

    private static String personName(String v) {
        String clean = printable(v, false);
        StringBuilder sb = new StringBuilder();
        for (String group : clean.split("=", -1)) {
            sb.append(sb.length() == 0 ? "" : "=").append(cut(group, 64));
        }
        return sb.toString();
    }

    private static boolean isDate(String digits) {
        if (!DATE.matcher(digits).matches()) {
            return false;
        }
        try {
            LocalDate.of(Integer.parseInt(digits.substring(0, 4)), Integer.parseInt(digits.substring(4, 6)),
                    Integer.parseInt(digits.substring(6, 8)));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static boolean fitsInt(String v) {
        long n = Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
        return n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE;
    }

    /** Without control characters (ESC stays: ISO 2022 code extensions; texts keep CR, LF, FF and TAB). */
    private static String printable(String v, boolean text) {
        StringBuilder sb = new StringBuilder(v.length());
        for (char c : v.toCharArray()) {
            boolean control = c < 0x20 || c == 0x7f;
            boolean kept = c == 0x1b || text && (c == '\r' || c == '\n' || c == '\f' || c == '\t');
            if (!control || kept) {
                sb.append(c == '\\' && !text ? '/' : c);
            }
        }
        return sb.toString();
    }

    private static String cut(String v, int max) {
        return v.length() <= max ? v : v.substring(0, max).strip();
    }

    private static String stripTrailing(String v) {
        int end = v.length();
        while (end > 0 && (v.charAt(end - 1) == ' ' || v.charAt(end - 1) == 0)) {
            end--;
        }
        return v.substring(0, end);
    }
}
