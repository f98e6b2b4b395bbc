package org.livernode.api.dicomweb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Set;
import java.util.function.Function;

/**
 * The DICOM JSON Model (PS3.18 F.2): each attribute keyed by its 8-hex-digit tag, with "vr" and "Value"
 * (strings, numbers, Person Name objects with "Alphabetic", nested data sets for SQ), binary values as
 * "InlineBinary" (base64) or "BulkDataURI". File Meta Information and group lengths are left out.
 */
final class DicomJson {
    /** Above this size a top-level binary value is served as bulk data, not inline. */
    static final long INLINE_LIMIT = 64 * 1024;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> BINARY = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "UN");
    private static final Set<String> INTEGERS = Set.of("US", "UL", "SS", "SL", "SV", "UV");

    private DicomJson() {
    }

    /**
     * @param bulkDataUri the BulkDataURI of a top-level tag (Pixel Data, large binaries); null to leave such
     *                    values out of the object
     */
    static ObjectNode of(AttributeList list, Function<AttributeTag, String> bulkDataUri) {
        ObjectNode o = JSON.objectNode();
        for (Object v : list.values()) {
            Attribute a = (Attribute) v;
            AttributeTag tag = a.getTag();
            if (tag.isGroupLength() || tag.isFileMetaInformationGroup()) {
                continue;
            }
            String vr = a.getVRAsString();
            boolean pixels = tag.equals(TagFromName.PixelData) || tag.equals(TagFromName.FloatPixelData)
                    || tag.equals(TagFromName.DoubleFloatPixelData);
            if (BINARY.contains(vr) && (pixels || (a.getVL() & 0xffffffffL) > INLINE_LIMIT)) {
                if (bulkDataUri != null) {
                    ObjectNode e = o.putObject(key(tag));
                    e.put("vr", vr);
                    e.put("BulkDataURI", bulkDataUri.apply(tag));
                }
                continue;
            }
            o.set(key(tag), element(a, vr));
        }
        return o;
    }

    static String key(AttributeTag tag) {
        return String.format("%04X%04X", tag.getGroup(), tag.getElement());
    }

    private static ObjectNode element(Attribute a, String vr) {
        ObjectNode e = JSON.objectNode();
        e.put("vr", vr);
        try {
            if (a instanceof SequenceAttribute sq) {
                ArrayNode items = JSON.arrayNode();
                for (int i = 0; i < sq.getNumberOfItems(); i++) {
                    items.add(of(sq.getItem(i).getAttributeList(), null));
                }
                if (!items.isEmpty()) {
                    e.set("Value", items);
                }
                return e;
            }
            if (BINARY.contains(vr)) {
                byte[] bytes = BinaryValue.bytes(a);
                if (bytes != null && bytes.length > 0) {
                    e.put("InlineBinary", Base64.getEncoder().encodeToString(bytes));
                }
                return e;
            }
            ArrayNode values = values(a, vr);
            if (values != null && !values.isEmpty()) {
                e.set("Value", values);
            }
        } catch (DicomException | RuntimeException ignored) {
            // a value PixelMed cannot render is given without a value, the attribute is still listed
        }
        return e;
    }

    private static ArrayNode values(Attribute a, String vr) throws DicomException {
        ArrayNode out = JSON.arrayNode();
        if (a.getVM() == 0) {
            return out;
        }
        if (a instanceof AttributeTagAttribute at) {
            for (AttributeTag t : at.getAttributeTagValues()) {
                out.add(key(t));
            }
            return out;
        }
        if (INTEGERS.contains(vr)) {
            for (long l : a.getLongValues()) {
                out.add(l);
            }
            return out;
        }
        if ("FL".equals(vr)) {
            for (float f : a.getFloatValues()) {
                out.add(new BigDecimal(Float.toString(f)));
            }
            return out;
        }
        if ("FD".equals(vr)) {
            for (double d : a.getDoubleValues()) {
                out.add(d);
            }
            return out;
        }
        for (String s : a.getStringValues()) {
            String v = s == null ? "" : s.trim();
            if (v.isEmpty()) {
                out.addNull();
                continue;
            }
            switch (vr) {
                case "PN" -> out.add(personName(v));
                case "IS" -> addNumber(out, v, true);
                case "DS" -> addNumber(out, v, false);
                default -> out.add(v);
            }
        }
        return out;
    }

    /** An element from string values, typed by VR (numbers for IS, DS and binary integers; PN objects). */
    static ObjectNode element(String vr, java.util.List<String> strings) {
        ObjectNode e = JSON.objectNode();
        e.put("vr", vr);
        ArrayNode out = JSON.arrayNode();
        for (String s : strings) {
            String v = s == null ? "" : s.trim();
            if (v.isEmpty()) {
                out.addNull();
            } else if ("PN".equals(vr)) {
                out.add(personName(v));
            } else if ("IS".equals(vr) || INTEGERS.contains(vr)) {
                addNumber(out, v, true);
            } else if ("DS".equals(vr) || "FL".equals(vr) || "FD".equals(vr)) {
                addNumber(out, v, false);
            } else {
                out.add(v);
            }
        }
        if (!out.isEmpty()) {
            e.set("Value", out);
        }
        return e;
    }

    /** The same object with its attributes in ascending tag order, as PS3.18 F.2 asks. */
    static ObjectNode sorted(ObjectNode o) {
        java.util.TreeMap<String, com.fasterxml.jackson.databind.JsonNode> m = new java.util.TreeMap<>();
        o.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue()));
        ObjectNode s = JSON.objectNode();
        m.forEach(s::set);
        return s;
    }

    private static ObjectNode personName(String v) {
        ObjectNode pn = JSON.objectNode();
        String[] groups = v.split("=", -1);
        String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
        for (int g = 0; g < groups.length && g < names.length; g++) {
            if (!groups[g].isEmpty()) {
                pn.put(names[g], groups[g]);
            }
        }
        return pn;
    }

    /** IS and DS are JSON numbers; an unparsable value stays a string rather than being lost. */
    private static void addNumber(ArrayNode out, String v, boolean integer) {
        try {
            if (integer) {
                out.add(new BigInteger(v.startsWith("+") ? v.substring(1) : v));
            } else {
                out.add(new BigDecimal(v));
            }
        } catch (NumberFormatException e) {
            out.add(v);
        }
    }
}
