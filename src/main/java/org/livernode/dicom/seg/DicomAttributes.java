package org.livernode.dicom.seg;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.ShortTextAttribute;
import com.pixelmed.dicom.UnsignedLongAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import org.livernode.dicom.attributes.Attributes;


/** The SEG's typed writers and readers over PixelMed's AttributeList (the general ones are {@link Attributes}). */
final class DicomAttributes {

    /** Segment Description (0062,0006) ST and Segment Algorithm Name (0062,0009) LO: not in PixelMed's dictionary. */
    static final AttributeTag SEGMENT_DESCRIPTION = new AttributeTag(0x0062, 0x0006);
    static final AttributeTag SEGMENT_ALGORITHM_NAME = new AttributeTag(0x0062, 0x0009);

    private DicomAttributes() {
    }

    static void putUnsignedShorts(AttributeList list, AttributeTag tag, int... values) {
        Attributes.put(list, new UnsignedShortAttribute(tag), java.util.Arrays.stream(values).mapToObj(Integer::toString).toArray(String[]::new));
    }

    static void putUnsignedLongs(AttributeList list, AttributeTag tag, int... values) {
        Attributes.put(list, new UnsignedLongAttribute(tag), java.util.Arrays.stream(values).mapToObj(Integer::toString).toArray(String[]::new));
    }

    static void putTag(AttributeList list, AttributeTag tag, AttributeTag value) {
        Attributes.put(list, new AttributeTagAttribute(tag), String.format("(0x%04x,0x%04x)", value.getGroup(), value.getElement()));
    }

    static void putLongString(AttributeList list, AttributeTag tag, String value) {
        Attributes.put(list, new LongStringAttribute(tag), value);
    }

    static void putShortText(AttributeList list, AttributeTag tag, String value) {
        Attributes.put(list, new ShortTextAttribute(tag), value);
    }

    /** Puts a sequence holding the given items and returns it. */
    static SequenceAttribute putSequence(AttributeList list, AttributeTag tag, AttributeList... items) {
        return Attributes.putSequence(list, tag, java.util.List.of(items));
    }

    static AttributeList codeItem(Code code) {
        return Attributes.codeItem(code.value(), code.scheme(), code.meaning());
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

    /** Puts a Decimal String attribute with each value formatted to at most 16 characters. */
    static void putDecimals(AttributeList list, AttributeTag tag, double... values) {
        Attributes.put(list, tag, java.util.Arrays.stream(values).mapToObj(DecimalStrings::format).toArray(String[]::new));
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
