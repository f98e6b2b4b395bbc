package org.livernode.dicom.vocabulary;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/** DICOM UIDs: their syntax (PS3.5 9.1) and the node's generator under the UUID-derived root 2.25 (PS3.5 B.2). */
public final class Uids {
    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))+");

    private Uids() {
    }

    /** Digits and dots, no leading zeros in a component, at most 64 characters. */
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

    /** A new random UID {@code 2.25.<UUID as an unsigned decimal>}. */
    public static String newUid() {
        return fromUuid(UUID.randomUUID());
    }

    /**
     * The same UID every time for the same name (a name-based UUID, RFC 4122 version 3, under 2.25), so that an
     * object made again after a crash keeps the UID it had the first time.
     */
    public static String fromName(String name) {
        return fromUuid(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
    }

    private static String fromUuid(UUID u) {
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
