package org.livernode.dicom.seg;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.regex.Pattern;

/** Decimal String (DS) values as PS3.5 6.2 allows them: at most 16 characters, digits, sign, point and exponent. */
final class DecimalStrings {

    static final int MAX_LENGTH = 16;
    private static final Pattern DS = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private DecimalStrings() {
    }

    /** True when s (without padding) is a valid DS value. */
    static boolean isValid(String s) {
        return s != null && s.length() <= MAX_LENGTH && DS.matcher(s).matches();
    }

    /** The value with as many significant digits as fit in 16 characters (plain notation when it fits). */
    static String format(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("a Decimal String must be finite, found " + v);
        }
        return format(BigDecimal.valueOf(v));
    }

    /**
     * A source's DS value made valid: kept as written when it already is, else re-formatted with the most precision
     * 16 characters allow ("-123.45678901234567" becomes "-123.456789012346"); null when it is not a number.
     */
    static String revalidate(String value) {
        String s = value == null ? "" : value.strip();
        if (isValid(s)) {
            return s;
        }
        try {
            BigDecimal d = new BigDecimal(s);
            return format(d);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String format(BigDecimal d) {
        for (int digits = 17; digits >= 1; digits--) {
            BigDecimal r = d.round(new MathContext(digits)).stripTrailingZeros();
            String plain = r.scale() <= 0 && r.precision() - r.scale() > MAX_LENGTH ? null : r.toPlainString();
            if (plain != null && plain.length() <= MAX_LENGTH) {
                return plain;
            }
            String scientific = r.toString().replace("E+", "E");
            if (scientific.length() <= MAX_LENGTH && DS.matcher(scientific).matches()) {
                return scientific;
            }
        }
        return "0";
    }
}
