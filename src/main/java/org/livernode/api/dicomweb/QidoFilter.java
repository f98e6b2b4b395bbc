package org.livernode.api.dicomweb;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The part of a QIDO-RS query the database answers: HQL conditions on the index columns (aliases {@code st}
 * study, {@code s} series, {@code i} instance) that match exactly as {@link QidoQuery#matches} does on the
 * same values. Keys it cannot express (header attributes, counts, numbers) are left in {@link #rest} for
 * {@link QidoCandidate}; when none are left, offset and limit can be applied by the database too.
 */
final class QidoFilter {
    enum Level { STUDY, SERIES, INSTANCE }

    private record Column(String path, String vr) {
    }

    private static final Map<AttributeTag, Column> STUDY = Map.of(
            TagFromName.StudyInstanceUID, new Column("st.studyUid", "UI"),
            TagFromName.PatientID, new Column("st.patientId", "LO"),
            TagFromName.PatientName, new Column("st.patientName", "PN"),
            TagFromName.StudyDate, new Column("st.studyDate", "DA"),
            TagFromName.StudyDescription, new Column("st.studyDescription", "LO"),
            TagFromName.AccessionNumber, new Column("st.accessionNumber", "SH"));
    private static final Map<AttributeTag, Column> SERIES = Map.of(
            TagFromName.SeriesInstanceUID, new Column("s.seriesUid", "UI"),
            TagFromName.Modality, new Column("s.modality", "CS"),
            TagFromName.SeriesDescription, new Column("s.seriesDescription", "LO"));
    private static final Map<AttributeTag, Column> INSTANCE = Map.of(
            TagFromName.SOPInstanceUID, new Column("i.sopInstanceUid", "UI"),
            TagFromName.SOPClassUID, new Column("i.sopClassUid", "UI"));
    private static final Pattern DIGITS = Pattern.compile("[0-9]*");

    final List<String> conditions = new ArrayList<>();
    final Map<String, Object> parameters = new LinkedHashMap<>();
    final Map<AttributeTag, String> rest = new LinkedHashMap<>();

    private QidoFilter() {
    }

    /** The keys of q a query at this level (which reads its own table and those above it) can match in the database. */
    static QidoFilter of(QidoQuery q, Level level) {
        QidoFilter f = new QidoFilter();
        q.keys.forEach((tag, value) -> {
            Column c = STUDY.get(tag);
            if (c == null && level != Level.STUDY) {
                c = SERIES.get(tag);
            }
            if (c == null && level == Level.INSTANCE) {
                c = INSTANCE.get(tag);
            }
            String condition = null;
            if (c != null) {
                condition = f.condition(c.path(), c.vr(), value);
            } else if (tag.equals(TagFromName.ModalitiesInStudy)) {
                String modality = f.condition("ms.modality", "CS", value);
                condition = modality == null || modality.isEmpty() ? modality
                        : "exists (select ms.seriesUid from Series ms where ms.studyUid = st.studyUid and " + modality + ")";
            }
            if (condition == null) {
                f.rest.put(tag, value);
            } else if (!condition.isEmpty()) {
                f.conditions.add(condition);
            }
        });
        return f;
    }

    /** Nothing is left for Java matching: the database can apply offset and limit. */
    boolean complete() {
        return rest.isEmpty();
    }

    /** A parameter of the query's own conditions (path UIDs); null adds nothing. */
    QidoFilter with(String name, Object value) {
        if (value != null) {
            parameters.put(name, value);
        }
        return this;
    }

    String where() {
        return conditions.isEmpty() ? "" : String.join(" and ", conditions);
    }

    /**
     * A condition equal to {@link QidoQuery#matches}(vr, query, [column]) for a trimmed column that holds
     * null rather than blanks; "" for universal matching, null when SQL would not match the same way.
     */
    private String condition(String column, String vr, String query) {
        String q = query.trim();
        if (q.isEmpty()) {
            return "";
        }
        String present = column + " is not null";
        if (("DA".equals(vr) || "TM".equals(vr) || "DT".equals(vr)) && q.contains("-")) {
            int dash = q.indexOf('-');
            String lo = q.substring(0, dash).trim().replace(":", "").replace(".", "");
            String hi = q.substring(dash + 1).trim().replace(":", "").replace(".", "");
            if (!DIGITS.matcher(lo).matches() || !DIGITS.matcher(hi).matches()) {
                return null; // string order of other text may follow the database's collation, not Java's
            }
            String value = "replace(replace(" + column + ", ':', ''), '.', '')";
            StringBuilder c = new StringBuilder(present);
            if (!lo.isEmpty()) {
                c.append(" and ").append(value).append(" >= ").append(parameter(lo));
            }
            if (!hi.isEmpty()) {
                c.append(" and (").append(value).append(" <= ").append(parameter(hi)).append(" or ")
                        .append(value).append(" like ").append(parameter(like(hi) + "%")).append(" escape '!')");
            }
            return c.toString();
        }
        String[] alternatives = "UI".equals(vr) || "CS".equals(vr) ? q.split("[\\\\,]") : new String[]{q};
        boolean ignoreCase = "PN".equals(vr);
        String value = ignoreCase ? "lower(" + column + ")" : column;
        List<String> any = new ArrayList<>();
        for (String alt : alternatives) {
            String a = alt.trim();
            if (a.isEmpty()) {
                continue; // matches no present value
            }
            boolean wild = a.contains("*") || a.contains("?");
            String p = parameter(wild ? wildcard(a) : a);
            String param = ignoreCase ? "lower(" + p + ")" : p;
            any.add(wild ? value + " like " + param + " escape '!'" : value + " = " + param);
        }
        return any.isEmpty() ? "1 = 0" : present + " and (" + String.join(" or ", any) + ")";
    }

    private String parameter(String value) {
        String name = "q" + parameters.size();
        parameters.put(name, value);
        return ":" + name;
    }

    private static String wildcard(String q) {
        StringBuilder out = new StringBuilder();
        for (char c : q.toCharArray()) {
            switch (c) {
                case '*' -> out.append('%');
                case '?' -> out.append('_');
                default -> out.append(like(String.valueOf(c)));
            }
        }
        return out.toString();
    }

    /** Literal text in a LIKE pattern with escape character '!'. */
    private static String like(String literal) {
        return literal.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
