package org.livernode.dicom.attributes;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import java.util.List;

/** Puts and reads attributes of PixelMed's AttributeList, so the writers read like the standard. */
public final class Attributes {

    private Attributes() {
    }

    /** Puts an attribute with the dictionary's VR and the given values (none = present but empty, for Type 2). */
    public static void put(AttributeList list, AttributeTag tag, String... values) {
        Attribute a;
        try {
            a = AttributeFactory.newAttribute(tag);
        } catch (DicomException e) {
            throw new AttributeEncodingException("cannot encode " + tag + ": " + e.getMessage(), e);
        }
        put(list, a, values);
    }

    /** Puts {@code attribute} (of a VR chosen by the caller, for tags not in PixelMed's dictionary) with the values. */
    public static void put(AttributeList list, Attribute attribute, String... values) {
        try {
            for (String v : values) {
                attribute.addValue(v);
            }
        } catch (DicomException e) {
            throw new AttributeEncodingException("cannot encode " + attribute.getTag() + " value(s) "
                    + String.join("\\", values) + ": " + e.getMessage(), e);
        }
        list.put(attribute);
    }

    /** Puts a sequence holding the given items and returns it. */
    public static SequenceAttribute putSequence(AttributeList list, AttributeTag tag, List<AttributeList> items) {
        SequenceAttribute seq = new SequenceAttribute(tag);
        for (AttributeList item : items) {
            seq.addItem(item);
        }
        list.put(seq);
        return seq;
    }

    /** A code sequence item: Code Value, Coding Scheme Designator, Code Meaning. */
    public static AttributeList codeItem(String value, String scheme, String meaning) {
        AttributeList item = new AttributeList();
        put(item, TagFromName.CodeValue, value);
        put(item, TagFromName.CodingSchemeDesignator, scheme);
        put(item, TagFromName.CodeMeaning, meaning);
        return item;
    }

    /** Copies the attribute when the source has it, else puts it empty (Type 2). */
    public static void copyOrEmpty(AttributeList target, AttributeList source, AttributeTag tag) {
        Attribute a = source.get(tag);
        if (a != null) {
            target.put(a);
        } else {
            put(target, tag);
        }
    }

    /** Copies the attribute when the source has it with a value (optional attributes: absent rather than empty). */
    public static void copyIfPresent(AttributeList target, AttributeList source, AttributeTag tag) {
        Attribute a = source.get(tag);
        if (a != null && a.getVM() > 0) {
            target.put(a);
        }
    }

    /** The first value without padding (spaces or NUL), or null when absent or empty. */
    public static String string(AttributeList list, AttributeTag tag) {
        String s = strip(Attribute.getSingleStringValueOrEmptyString(list, tag));
        return s.isEmpty() ? null : s;
    }

    /** {@code v} without leading and trailing spaces and NULs (the padding of DICOM values). */
    public static String strip(String v) {
        int start = 0;
        int end = v.length();
        while (start < end && (v.charAt(start) == ' ' || v.charAt(start) == 0)) {
            start++;
        }
        while (end > start && (v.charAt(end - 1) == ' ' || v.charAt(end - 1) == 0)) {
            end--;
        }
        return v.substring(start, end);
    }
}
