package org.livernode.dicom.sr;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.livernode.dicom.seg.Code;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Writes attributes of SR content items and documents by the dictionary's VR (PixelMed's AttributeList). */
final class SrAttributes {

    private SrAttributes() {
    }

    /** Puts an attribute with the given values; no values = present and empty (Type 2). */
    static void put(AttributeList list, AttributeTag tag, String... values) {
        try {
            Attribute a = AttributeFactory.newAttribute(tag);
            for (String v : values) {
                a.addValue(v);
            }
            list.put(a);
        } catch (DicomException e) {
            throw new StructuredReportException("cannot encode " + tag + ": " + e.getMessage(), e);
        }
    }

    static void putSequence(AttributeList list, AttributeTag tag, Iterable<AttributeList> items) {
        SequenceAttribute seq = new SequenceAttribute(tag);
        for (AttributeList item : items) {
            seq.addItem(item);
        }
        list.put(seq);
    }

    static void putCode(AttributeList list, AttributeTag tag, Code code) {
        AttributeList item = new AttributeList();
        put(item, TagFromName.CodeValue, code.value());
        put(item, TagFromName.CodingSchemeDesignator, code.scheme());
        put(item, TagFromName.CodeMeaning, code.meaning());
        putSequence(list, tag, java.util.List.of(item));
    }

    /** Copies the attribute when the source has it, else puts it empty (Type 2). */
    static void copyOrEmpty(AttributeList target, AttributeList source, AttributeTag tag) {
        Attribute a = source.get(tag);
        if (a != null) {
            target.put(a);
        } else {
            put(target, tag);
        }
    }

    static String string(AttributeList list, AttributeTag tag) {
        String s = Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
        return s.isEmpty() ? null : s;
    }

    /** A Decimal String (at most 16 characters) with at most {@code decimals} digits after the point. */
    static String decimal(double value, int decimals) {
        String s = BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        if (s.length() > 16) {
            throw new StructuredReportException("value " + value + " does not fit a Decimal String of 16 characters");
        }
        return s;
    }
}
