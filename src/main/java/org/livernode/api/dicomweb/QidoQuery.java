package org.livernode.api.dicomweb;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import org.livernode.api.ProblemException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A QIDO-RS query (PS3.18 8.3.4): matching keys by keyword or tag with single value, UID list, wildcard
 * (* and ?) and range (dates and times) matching, plus {@code limit}, {@code offset}, {@code includefield}
 * ({@code all} for every attribute). Matching follows PS3.4 C.2.2.2; Person Names match case-insensitively.
 */
final class QidoQuery {
    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;
    private static final Set<String> IGNORED = Set.of("fuzzymatching", "_", "charset");

    final Map<AttributeTag, String> keys = new LinkedHashMap<>();
    final Set<AttributeTag> includes = new LinkedHashSet<>();
    boolean includeAll;
    int limit = Integer.MAX_VALUE;
    int offset;

    static QidoQuery parse(Map<String, List<String>> parameters) {
        QidoQuery q = new QidoQuery();
        parameters.forEach((name, values) -> {
            for (String value : values) {
                q.add(name, value == null ? "" : value);
            }
        });
        return q;
    }

    private void add(String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "limit" -> limit = nonNegative(name, value);
            case "offset" -> offset = nonNegative(name, value);
            case "includefield" -> {
                for (String f : value.split(",")) {
                    if ("all".equalsIgnoreCase(f.trim())) {
                        includeAll = true;
                    } else if (!f.isBlank()) {
                        includes.add(tag(f.trim()));
                    }
                }
            }
            default -> {
                if (!IGNORED.contains(lower)) {
                    keys.put(tag(name), value);
                }
            }
        }
    }

    private static int nonNegative(String name, String value) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ProblemException.badRequest(name + " must be a whole number >= 0, found '" + value + "'");
    }

    /** An attribute named by keyword (PatientID) or tag (00100020). */
    static AttributeTag tag(String name) {
        if (name.matches("[0-9A-Fa-f]{8}")) {
            return new AttributeTag(Integer.parseInt(name.substring(0, 4), 16), Integer.parseInt(name.substring(4), 16));
        }
        AttributeTag t = DICTIONARY.getTagFromName(name);
        if (t == null) {
            throw ProblemException.badRequest("query parameter '" + name
                    + "' is neither a DICOM keyword nor a tag (8 hex digits), nor limit, offset, includefield or fuzzymatching");
        }
        return t;
    }

    static String vr(AttributeTag tag) {
        byte[] vr = DICTIONARY.getValueRepresentationFromTag(tag);
        return vr == null ? "UN" : new String(vr, StandardCharsets.US_ASCII);
    }

    static List<String> values(AttributeList list, AttributeTag tag) {
        Attribute a = list.get(tag);
        if (a == null) {
            return List.of();
        }
        try {
            String[] v = a.getStringValues();
            return v == null ? List.of() : List.of(v);
        } catch (DicomException e) {
            return List.of();
        }
    }

    /** Does any of the attribute's values match the query value (PS3.4 C.2.2.2)? */
    static boolean matches(String vr, String query, List<String> values) {
        String q = query.trim();
        if (q.isEmpty()) {
            return true; // universal matching
        }
        List<String> present = new ArrayList<>();
        for (String v : values) {
            if (v != null && !v.trim().isEmpty()) {
                present.add(v.trim());
            }
        }
        if (present.isEmpty()) {
            return false;
        }
        if (("DA".equals(vr) || "TM".equals(vr) || "DT".equals(vr)) && q.contains("-")) {
            int dash = q.indexOf('-');
            String lo = normalise(q.substring(0, dash));
            String hi = normalise(q.substring(dash + 1));
            return present.stream().map(QidoQuery::normalise)
                    .anyMatch(v -> (lo.isEmpty() || v.compareTo(lo) >= 0) && (hi.isEmpty() || v.compareTo(hi) <= 0
                            || v.startsWith(hi)));
        }
        String[] alternatives = "UI".equals(vr) || "CS".equals(vr) ? q.split("[\\\\,]") : new String[]{q};
        boolean ignoreCase = "PN".equals(vr);
        for (String alt : alternatives) {
            String a = alt.trim();
            if (a.contains("*") || a.contains("?")) {
                Pattern p = wildcard(a, ignoreCase);
                if (present.stream().anyMatch(v -> p.matcher(v).matches())) {
                    return true;
                }
            } else if (present.stream().anyMatch(v -> ignoreCase ? v.equalsIgnoreCase(a) : v.equals(a))) {
                return true;
            }
        }
        return false;
    }

    private static String normalise(String dateOrTime) {
        return dateOrTime.trim().replace(":", "").replace(".", "");
    }

    private static Pattern wildcard(String q, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        for (char c : q.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    }
}
