package org.livernode.dicom.sr;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.livernode.dicom.attributes.Attributes;
import org.livernode.dicom.vocabulary.SopClasses;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the liver volume back from a TID 1500 Measurement Report, the node's or another's: each Measurement Group
 * about the liver (Finding or Finding Site SNOMED CT 10200004, or its SRT code T-62000, or a Tracking Identifier
 * naming the liver) with a Volume (SCT 118565006, or SRT G-D705) in ml, cm3, mm3 or l, and the CT series it was
 * measured on (Source series for segmentation, else the one non-SEG series of the evidence).
 */
public final class MeasurementReportReader {

    /** A liver volume a report states, in mL, and the series of the images it was measured on. */
    public record ReportedVolume(String sourceSeriesUid, double ml) {
    }

    private MeasurementReportReader() {
    }

    /** The liver volumes of the SR file; none when it is not a TID 1500 report or states no liver volume. */
    public static List<ReportedVolume> read(Path file) throws IOException {
        AttributeList sr = new AttributeList();
        try {
            sr.read(file.toFile());
        } catch (DicomException e) {
            throw new IOException(file + ": not a readable DICOM file: " + e.getMessage(), e);
        }
        return volumes(sr);
    }

    public static List<ReportedVolume> volumes(AttributeList sr) {
        List<ReportedVolume> found = new ArrayList<>();
        if (!is(concept(sr), "126000", "DCM")) {
            return found; // not an Imaging Measurement Report
        }
        String evidenceSeries = evidenceSeries(sr);
        for (AttributeList measurements : children(sr)) {
            if (!is(concept(measurements), "126010", "DCM")) {
                continue;
            }
            for (AttributeList group : children(measurements)) {
                if (is(concept(group), "125007", "DCM") && aboutTheLiver(group)) {
                    String series = Optional.ofNullable(uidOf(group, "121232")).orElse(evidenceSeries);
                    volumeMl(group).filter(v -> series != null).ifPresent(v -> found.add(new ReportedVolume(series, v)));
                }
            }
        }
        return found;
    }

    private static boolean aboutTheLiver(AttributeList group) {
        for (AttributeList item : children(group)) {
            AttributeList name = concept(item);
            if ((is(name, "121071", "DCM") || is(name, "363698007", "SCT") || is(name, "G-C0E3", "SRT"))
                    && (is(code(item, TagFromName.ConceptCodeSequence), "10200004", "SCT")
                    || is(code(item, TagFromName.ConceptCodeSequence), "T-62000", "SRT"))) {
                return true;
            }
            if (is(name, "112039", "DCM") && Attributes.string(item, TagFromName.TextValue) != null
                    && Attributes.string(item, TagFromName.TextValue).toLowerCase(Locale.ROOT).contains("liver")) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Double> volumeMl(AttributeList group) {
        for (AttributeList item : children(group)) {
            if (!"NUM".equals(Attributes.string(item, TagFromName.ValueType))
                    || !(is(concept(item), "118565006", "SCT") || is(concept(item), "G-D705", "SRT"))) {
                continue;
            }
            AttributeList measured = first(item, TagFromName.MeasuredValueSequence);
            AttributeList unit = code(measured, TagFromName.MeasurementUnitsCodeSequence);
            String value = measured == null ? null : Attributes.string(measured, TagFromName.NumericValue);
            if (value == null || unit == null || !"UCUM".equals(Attributes.string(unit, TagFromName.CodingSchemeDesignator))) {
                continue;
            }
            double factor = switch (Attributes.string(unit, TagFromName.CodeValue)) {
                case "ml", "mL", "cm3" -> 1;
                case "mm3" -> 0.001;
                case "l", "L" -> 1000;
                default -> Double.NaN;
            };
            try {
                double ml = Double.parseDouble(value) * factor;
                if (Double.isFinite(ml) && ml >= 0) {
                    return Optional.of(ml);
                }
            } catch (NumberFormatException e) {
                // not a number: look on
            }
        }
        return Optional.empty();
    }

    private static String uidOf(AttributeList group, String conceptValue) {
        for (AttributeList item : children(group)) {
            if (is(concept(item), conceptValue, "DCM") && "UIDREF".equals(Attributes.string(item, TagFromName.ValueType))) {
                return Attributes.string(item, TagFromName.UID);
            }
        }
        return null;
    }

    /** The one series of Current Requested Procedure Evidence whose instances are not SEG, or null. */
    private static String evidenceSeries(AttributeList sr) {
        List<String> series = new ArrayList<>();
        for (AttributeList study : items(sr, TagFromName.CurrentRequestedProcedureEvidenceSequence)) {
            for (AttributeList s : items(study, TagFromName.ReferencedSeriesSequence)) {
                boolean seg = items(s, TagFromName.ReferencedSOPSequence).stream().anyMatch(r -> SopClasses.SEGMENTATION_STORAGE
                        .equals(Attributes.string(r, TagFromName.ReferencedSOPClassUID)));
                if (!seg && Attributes.string(s, TagFromName.SeriesInstanceUID) != null) {
                    series.add(Attributes.string(s, TagFromName.SeriesInstanceUID));
                }
            }
        }
        return series.size() == 1 ? series.get(0) : null;
    }

    private static boolean is(AttributeList code, String value, String scheme) {
        return code != null && value.equals(Attributes.string(code, TagFromName.CodeValue))
                && scheme.equals(Attributes.string(code, TagFromName.CodingSchemeDesignator));
    }

    private static AttributeList concept(AttributeList item) {
        return code(item, TagFromName.ConceptNameCodeSequence);
    }

    private static AttributeList code(AttributeList item, AttributeTag tag) {
        return first(item, tag);
    }

    /** The first item of a sequence, or null. */
    private static AttributeList first(AttributeList list, AttributeTag tag) {
        List<AttributeList> all = items(list, tag);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<AttributeList> children(AttributeList item) {
        return items(item, TagFromName.ContentSequence);
    }

    private static List<AttributeList> items(AttributeList list, AttributeTag tag) {
        List<AttributeList> out = new ArrayList<>();
        Attribute a = list == null ? null : list.get(tag);
        if (a instanceof SequenceAttribute seq) {
            for (int i = 0; i < seq.getNumberOfItems(); i++) {
                out.add(seq.getItem(i).getAttributeList());
            }
        }
        return out;
    }
}
