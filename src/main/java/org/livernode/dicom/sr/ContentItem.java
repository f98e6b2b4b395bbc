package org.livernode.dicom.sr;

import org.livernode.dicom.attributes.Attributes;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.livernode.dicom.seg.Code;
import org.livernode.dicom.vocabulary.Uids;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One SR content item (PS3.3 C.17.3): its Value Type, Concept Name, value and, under a parent, the relationship to
 * it. Only the value types a TID 1500 report of the node needs: CONTAINER, CODE, TEXT, UIDREF, NUM and IMAGE.
 * The factories check their values, so a tree of content items is valid by construction.
 */
public final class ContentItem {

    /** Relationship Type (0040,A010) of a child to its parent (PS3.3 C.17.3.2.4). */
    public enum RelationshipType {
        CONTAINS("CONTAINS"), HAS_OBS_CONTEXT("HAS OBS CONTEXT"), HAS_CONCEPT_MOD("HAS CONCEPT MOD");

        final String dicom;

        RelationshipType(String dicom) {
            this.dicom = dicom;
        }
    }

    /** Value Type (0040,A040). */
    public enum ValueType {
        CONTAINER, CODE, TEXT, UIDREF, NUM, IMAGE
    }

    private final RelationshipType relationship;
    private final ValueType valueType;
    private final Code conceptName;
    private final Consumer<AttributeList> value;
    private final List<ContentItem> children;
    /** Template that a CONTAINER follows (Content Template Sequence), or null. */
    private final String templateIdentifier;

    private ContentItem(RelationshipType relationship, ValueType valueType, Code conceptName, Consumer<AttributeList> value,
                        List<ContentItem> children, String templateIdentifier) {
        this.relationship = relationship;
        this.valueType = valueType;
        this.conceptName = conceptName;
        this.value = value;
        this.children = List.copyOf(children);
        this.templateIdentifier = templateIdentifier;
    }

    /** A CONTAINER with Continuity of Content SEPARATE; {@code relationship} is null for the document's root. */
    public static ContentItem container(RelationshipType relationship, Code name, String templateIdentifier,
                                        List<ContentItem> children) {
        Objects.requireNonNull(name, "CONTAINER concept name");
        return new ContentItem(relationship, ValueType.CONTAINER, name, item -> {
            Attributes.put(item, TagFromName.ContinuityOfContent, "SEPARATE");
        }, children, templateIdentifier);
    }

    public static ContentItem code(RelationshipType relationship, Code name, Code value) {
        Objects.requireNonNull(value, () -> "CODE " + name + ": value");
        return leaf(relationship, ValueType.CODE, name, item -> SrAttributes.putCode(item, TagFromName.ConceptCodeSequence, value));
    }

    public static ContentItem text(RelationshipType relationship, Code name, String value) {
        if (value == null || value.isBlank()) {
            throw new StructuredReportException("TEXT " + name + ": must not be blank, found " + quoted(value));
        }
        return leaf(relationship, ValueType.TEXT, name, item -> Attributes.put(item, TagFromName.TextValue, value));
    }

    public static ContentItem uidref(RelationshipType relationship, Code name, String uid) {
        if (!Uids.isValid(uid)) {
            throw new StructuredReportException("UIDREF " + name + ": must be a DICOM UID, found " + quoted(uid));
        }
        return leaf(relationship, ValueType.UIDREF, name, item -> Attributes.put(item, TagFromName.UID, uid));
    }

    /**
     * A NUM with one Measured Value: {@code value} as a Decimal String with at most {@code decimals} digits after
     * the point, in {@code unit} (UCUM); {@code modifiers} are its children (e.g. HAS CONCEPT MOD Derivation).
     */
    public static ContentItem num(RelationshipType relationship, Code name, double value, int decimals, Code unit,
                                  List<ContentItem> modifiers) {
        if (!Double.isFinite(value)) {
            throw new StructuredReportException("NUM " + name + ": must be a finite number, found " + value);
        }
        Objects.requireNonNull(unit, () -> "NUM " + name + ": unit");
        String ds = SrAttributes.decimal(value, decimals);
        return new ContentItem(relationship, ValueType.NUM, requireName(name), item -> {
            AttributeList measured = new AttributeList();
            SrAttributes.putCode(measured, TagFromName.MeasurementUnitsCodeSequence, unit);
            Attributes.put(measured, TagFromName.NumericValue, ds);
            Attributes.putSequence(item, TagFromName.MeasuredValueSequence, List.of(measured));
        }, modifiers, null);
    }

    /**
     * An IMAGE reference; {@code name} may be null (an Image Library entry), {@code segmentNumber} 0 for none
     * (else the Referenced Segment Number of a Segmentation).
     */
    public static ContentItem image(RelationshipType relationship, Code name, String sopClassUid, String sopInstanceUid,
                                    int segmentNumber) {
        if (!Uids.isValid(sopClassUid) || !Uids.isValid(sopInstanceUid)) {
            throw new StructuredReportException("IMAGE " + name + ": Referenced SOP Class and Instance UIDs must be DICOM UIDs, found "
                    + quoted(sopClassUid) + " and " + quoted(sopInstanceUid));
        }
        if (segmentNumber < 0 || segmentNumber > 0xFFFF) {
            throw new StructuredReportException("IMAGE " + name + ": Referenced Segment Number must be within 1..65535 (0 for none), found "
                    + segmentNumber);
        }
        return new ContentItem(relationship, ValueType.IMAGE, name, item -> {
            AttributeList ref = new AttributeList();
            Attributes.put(ref, TagFromName.ReferencedSOPClassUID, sopClassUid);
            Attributes.put(ref, TagFromName.ReferencedSOPInstanceUID, sopInstanceUid);
            if (segmentNumber > 0) {
                Attributes.put(ref, TagFromName.ReferencedSegmentNumber, Integer.toString(segmentNumber));
            }
            Attributes.putSequence(item, TagFromName.ReferencedSOPSequence, List.of(ref));
        }, List.of(), null);
    }

    private static ContentItem leaf(RelationshipType relationship, ValueType type, Code name, Consumer<AttributeList> value) {
        return new ContentItem(relationship, type, requireName(name), value, List.of(), null);
    }

    private static Code requireName(Code name) {
        return Objects.requireNonNull(name, "concept name (required for CODE, TEXT, UIDREF and NUM)");
    }

    private static String quoted(String s) {
        return s == null ? "null" : "'" + s + "'";
    }

    public ValueType valueType() {
        return valueType;
    }

    public Code conceptName() {
        return conceptName;
    }

    public List<ContentItem> children() {
        return children;
    }

    /** Writes this item's attributes (and its children's Content Sequence) into {@code target}. */
    void writeTo(AttributeList target) {
        if (relationship != null) {
            Attributes.put(target, TagFromName.RelationshipType, relationship.dicom);
        }
        Attributes.put(target, TagFromName.ValueType, valueType.name());
        if (conceptName != null) {
            SrAttributes.putCode(target, TagFromName.ConceptNameCodeSequence, conceptName);
        }
        value.accept(target);
        if (templateIdentifier != null) {
            AttributeList template = new AttributeList();
            Attributes.put(template, TagFromName.MappingResource, "DCMR");
            Attributes.put(template, TagFromName.TemplateIdentifier, templateIdentifier);
            Attributes.putSequence(target, TagFromName.ContentTemplateSequence, List.of(template));
        }
        if (!children.isEmpty()) {
            List<AttributeList> items = new ArrayList<>(children.size());
            for (ContentItem child : children) {
                if (child.relationship == null) {
                    throw new StructuredReportException("content item " + child.conceptName + " under " + conceptName
                            + ": a child needs a Relationship Type, found none");
                }
                AttributeList item = new AttributeList();
                child.writeTo(item);
                items.add(item);
            }
            Attributes.putSequence(target, TagFromName.ContentSequence, items);
        }
    }
}
