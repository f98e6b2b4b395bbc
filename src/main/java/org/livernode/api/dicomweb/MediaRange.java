package org.livernode.api.dicomweb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One media range of an Accept or Content-Type header, e.g. {@code multipart/related; type="application/dicom";
 * transfer-syntax=*}: the type, and its parameters with names lower-cased and quotes removed.
 */
record MediaRange(String type, Map<String, String> parameters, double quality) {

    /** An Accept header's ranges, best quality first; no header means {@code *}{@code /*}. */
    static List<MediaRange> accept(String header) {
        List<MediaRange> ranges = new ArrayList<>();
        if (header == null || header.isBlank()) {
            ranges.add(parse("*/*"));
            return ranges;
        }
        for (String part : splitOutsideQuotes(header, ',')) {
            if (!part.isBlank()) {
                ranges.add(parse(part));
            }
        }
        ranges.sort(Comparator.comparingDouble(MediaRange::quality).reversed());
        return ranges;
    }

    static MediaRange parse(String text) {
        List<String> parts = splitOutsideQuotes(text, ';');
        String type = parts.get(0).trim().toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        double q = 1.0;
        for (String p : parts.subList(1, parts.size())) {
            int eq = p.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if ("q".equals(name)) {
                try {
                    q = Double.parseDouble(value);
                } catch (NumberFormatException ignored) {
                    // a malformed q counts as 1
                }
            } else {
                params.put(name, value);
            }
        }
        return new MediaRange(type, params, q);
    }

    String parameter(String name) {
        return parameters.get(name);
    }

    /** True when this range covers the media type {@code wanted} ("a/b"), allowing * wildcards. */
    boolean covers(String wanted) {
        if ("*/*".equals(type) || type.equals(wanted)) {
            return true;
        }
        return type.endsWith("/*") && wanted.startsWith(type.substring(0, type.length() - 1));
    }

    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : s.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
