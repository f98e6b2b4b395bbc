package org.livernode.api.dicomweb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One study, series or instance a QIDO-RS query may return: the values the index knows (and counts it
 * computed), and the header of a stored file of it, read only when a key or a returned attribute needs it.
 */
final class QidoCandidate {
    private final Map<AttributeTag, List<String>> known = new HashMap<>();
    private final Map<AttributeTag, String> knownVr = new HashMap<>();
    private final Supplier<AttributeList> headerSource;
    private AttributeList header;

    QidoCandidate(Supplier<AttributeList> headerSource) {
        this.headerSource = headerSource;
    }

    QidoCandidate put(AttributeTag tag, String vr, List<String> values) {
        known.put(tag, values);
        knownVr.put(tag, vr);
        return this;
    }

    QidoCandidate put(AttributeTag tag, String vr, Object value) {
        return put(tag, vr, value == null ? List.of() : List.of(value.toString()));
    }

    QidoCandidate putAll(QidoCandidate other) {
        other.known.forEach((t, v) -> {
            if (!known.containsKey(t)) {
                put(t, other.knownVr.get(t), v);
            }
        });
        return this;
    }

    private AttributeList header() {
        if (header == null) {
            header = headerSource.get();
        }
        return header;
    }

    boolean matches(Map<AttributeTag, String> keys) {
        for (Map.Entry<AttributeTag, String> k : keys.entrySet()) {
            AttributeTag tag = k.getKey();
            List<String> values = known.containsKey(tag) ? known.get(tag) : QidoQuery.values(header(), tag);
            if (!QidoQuery.matches(vrOf(tag), k.getValue(), values)) {
                return false;
            }
        }
        return true;
    }

    private String vrOf(AttributeTag tag) {
        String vr = knownVr.get(tag);
        if (vr != null) {
            return vr;
        }
        Attribute a = header().get(tag);
        return a != null ? a.getVRAsString() : QidoQuery.vr(tag);
    }

    /** The DICOM JSON of this result: the level's return attributes, the keys, included fields. */
    ObjectNode toJson(Set<AttributeTag> returned, QidoQuery q) {
        ObjectNode o;
        if (q.includeAll) {
            o = DicomJson.of(header(), null);
        } else {
            o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        java.util.LinkedHashSet<AttributeTag> tags = new java.util.LinkedHashSet<>(returned);
        tags.addAll(q.keys.keySet());
        tags.addAll(q.includes);
        if (q.includeAll) {
            tags.addAll(known.keySet());
        }
        for (AttributeTag tag : tags) {
            if (known.containsKey(tag)) {
                o.set(DicomJson.key(tag), DicomJson.element(knownVr.get(tag), known.get(tag)));
                continue;
            }
            Attribute a = header().get(tag);
            if (a != null) {
                AttributeList one = new AttributeList();
                one.put(a);
                o.setAll(DicomJson.of(one, null));
            } else {
                o.set(DicomJson.key(tag), DicomJson.element(QidoQuery.vr(tag), List.of()));
            }
        }
        return DicomJson.sorted(o);
    }
}
