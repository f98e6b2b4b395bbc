package org.livernode.store;

import java.math.BigInteger;
import java.util.UUID;
import java.util.regex.Pattern;

/** DICOM UID syntax (PS3.5 9.1): digits and dots, no leading zeros in a component, at most 64 characters. */
public final class DicomUids {
    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))+");

    private DicomUids() {
    }

    public static boolean isValid(String uid) {
        return uid != null && uid.length() <= 64 && UID.matcher(uid).matches();
    }

    /**
     * Checks a UID before it names a file or folder.
     *
     * @throws IllegalArgumentException naming the attribute and the value found
     */
    public static String require(String attribute, String uid) {
        if (uid == null || uid.isEmpty()) {
            throw new IllegalArgumentException(attribute + " is missing or empty");
        }
        if (!isValid(uid)) {
            throw new IllegalArgumentException(attribute + " must be a DICOM UID (digits and dots, at most 64 "
                    + "characters), found '" + printable(uid) + "'");
        }
        return uid;
    }

    /** A new UID under the UUID-derived root 2.25 (PS3.5 B.2). */
    public static String newUid() {
        UUID u = UUID.randomUUID();
        BigInteger value = new BigInteger(1, toBytes(u));
        return "2.25." + value;
    }

    private static byte[] toBytes(UUID u) {
        byte[] b = new byte[16];
        long hi = u.getMostSignificantBits();
        long lo = u.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
