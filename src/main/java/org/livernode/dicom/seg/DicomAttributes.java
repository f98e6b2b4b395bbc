package org.livernode.dicom.seg;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.ShortTextAttribute;
import com.pixelmed.dicom.UnsignedLongAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;


/** Small typed writers/readers over PixelMed's AttributeList, so the SEG code reads like the standard. */
final class DicomAttributes {

    /** Segment Description (0062,0006) ST and Segment Algorithm Name (0062,0009) LO: not in PixelMed's dictionary. */
    static final AttributeTag SEGMENT_DESCRIPTION = new AttributeTag(0x0062, 0x0006);
    static final AttributeTag SEGMENT_ALGORITHM_NAME = new AttributeTag(0x0062, 0x0009);

    private DicomAttributes() {
    }

    /** Puts an attribute with the dictionary's VR and the given values (none = present but empty, for Type 2). */
    static void put(AttributeList list, AttributeTag tag, String... values) {
        try {
            add(list, AttributeFactory.newAttribute(tag), values);
        } catch (DicomException e) {
            throw new SegmentationException("cannot encode " + tag + ": " + e.getMessage(), e);
        }
    }

    static void putUnsignedShorts(AttributeList list, AttributeTag tag, int... values) {
        add(list, new UnsignedShortAttribute(tag), java.util.Arrays.stream(values).mapToObj(Integer::toString).toArray(String[]::new));
    }

    static void putUnsignedLongs(AttributeList list, AttributeTag tag, int... values) {
        add(list, new UnsignedLongAttribute(tag), java.util.Arrays.stream(values).mapToObj(Integer::toString).toArray(String[]::new));
    }

    static void putTag(AttributeList list, AttributeTag tag, AttributeTag value) {
        add(list, new AttributeTagAttribute(tag), String.format("(0x%04x,0x%04x)", value.getGroup(), value.getElement()));
    }

    static void putLongString(AttributeList list, AttributeTag tag, String value) {
        add(list, new LongStringAttribute(tag), value);
    }

    static void putShortText(AttributeList list, AttributeTag tag, String value) {
        add(list, new ShortTextAttribute(tag), value);
    }

    private static void add(AttributeList list, Attribute a, String... values) {
        try {
            for (String v : values) {
                a.addValue(v);
            }
        } catch (DicomException e) {
            throw new SegmentationException("cannot encode " + a.getTag() + ": " + e.getMessage(), e);
        }
        list.put(a);
    }

    /** Puts a sequence holding the given items and returns it. */
    static SequenceAttribute putSequence(AttributeList list, AttributeTag tag, AttributeList... items) {
        SequenceAttribute seq = new SequenceAttribute(tag);
        for (AttributeList item : items) {
            seq.addItem(item);
        }
        list.put(seq);
        return seq;
    }

    static AttributeList codeItem(Code code) {
        AttributeList item = new AttributeList();
        put(item, com.pixelmed.dicom.TagFromName.CodeValue, code.value());
        put(item, com.pixelmed.dicom.TagFromName.CodingSchemeDesignator, code.scheme());
        put(item, com.pixelmed.dicom.TagFromName.CodeMeaning, code.meaning());
        return item;
    }

    static void putCode(AttributeList list, AttributeTag tag, Code code) {
        putSequence(list, tag, codeItem(code));
    }

    /** Values of a multi-valued numeric attribute, or null when absent, empty or not numeric. */
    static double[] doubles(AttributeList list, AttributeTag tag) {
        Attribute a = list == null ? null : list.get(tag);
        if (a == null || a.getVM() == 0) {
            return null;
        }
        try {
            return a.getDoubleValues();
        } catch (DicomException | NumberFormatException e) {
            return null;
        }
    }

    /** The first value without padding (spaces or NUL), or null when absent or empty. */
    static String string(AttributeList list, AttributeTag tag) {
        String s = CopiedAttributes.strip(Attribute.getSingleStringValueOrEmptyString(list, tag));
        return s.isEmpty() ? null : s;
    }

    /** Puts a Decimal String attribute with each value formatted to at most 16 characters. */
    static void putDecimals(AttributeList list, AttributeTag tag, double... values) {
        put(list, tag, java.util.Arrays.stream(values).mapToObj(DecimalStrings::format).toArray(String[]::new));
    }

    /** The attribute's keyword from the dictionary, else its tag. */
    static String name(AttributeTag tag) {
        String n = com.pixelmed.dicom.DicomDictionary.StandardDictionary.getNameFromTag(tag);
        return n == null ? tag.toString() : n;
    }

    /** First item of a sequence attribute, or null. */
    static AttributeList firstItem(AttributeList list, AttributeTag tag) {
        if (list == null) {
            return null;
        }
        Attribute a = list.get(tag);
        if (a instanceof SequenceAttribute seq && seq.getNumberOfItems() > 0) {
            return seq.getItem(0).getAttributeList();
        }
        return null;
    }
}
