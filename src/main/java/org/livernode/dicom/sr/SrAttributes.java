package org.livernode.dicom.sr;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import org.livernode.dicom.attributes.Attributes;
import org.livernode.dicom.seg.Code;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** The SR's own attribute rules over {@link Attributes}: codes and measured values. */
final class SrAttributes {

    private SrAttributes() {
    }

    static void putCode(AttributeList list, AttributeTag tag, Code code) {
        Attributes.putSequence(list, tag, List.of(Attributes.codeItem(code.value(), code.scheme(), code.meaning())));
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
