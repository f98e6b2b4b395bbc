package org.livernode.api.dicomweb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import org.livernode.store.Instance;
import org.livernode.store.Series;
import org.livernode.store.Study;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.livernode.api.dicomweb.DicomWebTags.AVAILABLE_TRANSFER_SYNTAX_UID;
import static org.livernode.api.dicomweb.DicomWebTags.INSTANCE_AVAILABILITY;
import static org.livernode.api.dicomweb.DicomWebTags.NUMBER_OF_SERIES_RELATED_INSTANCES;
import static org.livernode.api.dicomweb.DicomWebTags.NUMBER_OF_STUDY_RELATED_INSTANCES;
import static org.livernode.api.dicomweb.DicomWebTags.NUMBER_OF_STUDY_RELATED_SERIES;
import static org.livernode.api.dicomweb.DicomWebTags.RETRIEVE_URL;

/**
 * QIDO-RS (PS3.18 10.6) over what the node stored: studies, series and instances, matched on the index
 * (UIDs, patient, study date, accession, modality, numbers) and on the stored headers for any other
 * attribute. Always 200 with a JSON array, empty when nothing matches.
 */
@Path("/dicom-web")
@Produces({DicomWeb.DICOM_JSON, "application/json"})
@Transactional
public class QidoResource {
    private static final List<AttributeTag> STUDY_RETURN = List.of(TagFromName.SpecificCharacterSet,
            TagFromName.StudyDate, TagFromName.StudyTime, TagFromName.AccessionNumber, INSTANCE_AVAILABILITY,
            TagFromName.ModalitiesInStudy, TagFromName.ReferringPhysicianName, RETRIEVE_URL, TagFromName.PatientName,
            TagFromName.PatientID, TagFromName.PatientBirthDate, TagFromName.PatientSex, TagFromName.StudyInstanceUID,
            TagFromName.StudyID, TagFromName.StudyDescription, NUMBER_OF_STUDY_RELATED_SERIES,
            NUMBER_OF_STUDY_RELATED_INSTANCES);
    private static final List<AttributeTag> SERIES_RETURN = List.of(TagFromName.SpecificCharacterSet,
            TagFromName.Modality, TagFromName.SeriesDescription, RETRIEVE_URL, TagFromName.SeriesInstanceUID,
            TagFromName.SeriesNumber, TagFromName.SeriesDate, TagFromName.SeriesTime,
            TagFromName.PerformedProcedureStepStartDate, TagFromName.PerformedProcedureStepStartTime,
            TagFromName.StudyInstanceUID, INSTANCE_AVAILABILITY, NUMBER_OF_SERIES_RELATED_INSTANCES);
    private static final List<AttributeTag> INSTANCE_RETURN = List.of(TagFromName.SpecificCharacterSet,
            TagFromName.SOPClassUID, TagFromName.SOPInstanceUID, INSTANCE_AVAILABILITY, RETRIEVE_URL,
            TagFromName.InstanceNumber, TagFromName.Rows, TagFromName.Columns, TagFromName.BitsAllocated,
            TagFromName.NumberOfFrames, TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID,
            TagFromName.Modality, TagFromName.SeriesNumber, AVAILABLE_TRANSFER_SYNTAX_UID);

    @Inject
    StoredObjects stored;
    @Context
    UriInfo uri;

    @GET
    @Path("/studies")
    public ArrayNode studies() {
        QidoQuery q = QidoQuery.parse(uri.getQueryParameters());
        QidoFilter f = QidoFilter.of(q, QidoFilter.Level.STUDY);
        if (q.limit == 0) {
            return JsonNodeFactory.instance.arrayNode();
        }
        List<Study> rows = stored.studies(f, dbOffset(q, f), dbLimit(q, f));
        Related related = related(rows.stream().map(s -> s.studyUid).toList());
        return answer(rows.stream().map(related::study).toList(), STUDY_RETURN, q, f);
    }

    @GET
    @Path("/series")
    public ArrayNode allSeries() {
        return series(null);
    }

    @GET
    @Path("/studies/{study}/series")
    public ArrayNode seriesOfStudy(@PathParam("study") String studyUid) {
        return series(studyUid);
    }

    @GET
    @Path("/instances")
    public ArrayNode allInstances() {
        return instances(null, null);
    }

    @GET
    @Path("/studies/{study}/instances")
    public ArrayNode instancesOfStudy(@PathParam("study") String studyUid) {
        return instances(studyUid, null);
    }

    @GET
    @Path("/studies/{study}/series/{series}/instances")
    public ArrayNode instancesOfSeries(@PathParam("study") String studyUid, @PathParam("series") String seriesUid) {
        return instances(studyUid, seriesUid);
    }

    private ArrayNode series(String studyUid) {
        QidoQuery q = QidoQuery.parse(uri.getQueryParameters());
        QidoFilter f = QidoFilter.of(q, QidoFilter.Level.SERIES);
        if (q.limit == 0) {
            return JsonNodeFactory.instance.arrayNode();
        }
        List<Object[]> rows = stored.series(studyUid, f, dbOffset(q, f), dbLimit(q, f));
        Related related = related(rows.stream().map(r -> ((Study) r[1]).studyUid).distinct().toList());
        List<QidoCandidate> candidates = new ArrayList<>();
        for (Object[] r : rows) {
            candidates.add(related.series((Series) r[0], (Study) r[1]));
        }
        return answer(candidates, SERIES_RETURN, q, f);
    }

    private ArrayNode instances(String studyUid, String seriesUid) {
        QidoQuery q = QidoQuery.parse(uri.getQueryParameters());
        QidoFilter f = QidoFilter.of(q, QidoFilter.Level.INSTANCE);
        if (q.limit == 0) {
            return JsonNodeFactory.instance.arrayNode();
        }
        List<Object[]> rows = stored.instances(studyUid, seriesUid, f, dbOffset(q, f), dbLimit(q, f));
        Related related = related(rows.stream().map(r -> ((Study) r[2]).studyUid).distinct().toList());
        List<QidoCandidate> candidates = new ArrayList<>();
        for (Object[] r : rows) {
            Series s = (Series) r[1];
            candidates.add(instance(s, (Instance) r[0]).putAll(related.series(s, (Study) r[2])));
        }
        return answer(candidates, INSTANCE_RETURN, q, f);
    }

    /** The database pages only when it matched every key; otherwise Java matches the rest, then pages. */
    private static int dbOffset(QidoQuery q, QidoFilter f) {
        return f.complete() ? q.offset : 0;
    }

    private static int dbLimit(QidoQuery q, QidoFilter f) {
        return f.complete() ? q.limit : Integer.MAX_VALUE;
    }

    private ArrayNode answer(List<QidoCandidate> candidates, List<AttributeTag> returned, QidoQuery q, QidoFilter f) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        Set<AttributeTag> tags = new LinkedHashSet<>(returned);
        int offset = f.complete() ? 0 : q.offset;
        int skipped = 0;
        for (QidoCandidate c : candidates) {
            if (out.size() >= q.limit) {
                break;
            }
            if (c.matches(f.rest)) {
                if (skipped++ < offset) {
                    continue;
                }
                out.add(c.toJson(tags, q));
            }
        }
        return out;
    }

    /** The series and instance counts of these studies, for the study-level values of each result. */
    private Related related(List<String> studyUids) {
        Map<String, List<Series>> byStudy = new HashMap<>();
        List<String> seriesUids = new ArrayList<>();
        for (Series s : stored.seriesOfStudies(studyUids)) {
            byStudy.computeIfAbsent(s.studyUid, k -> new ArrayList<>()).add(s);
            seriesUids.add(s.seriesUid);
        }
        return new Related(byStudy, stored.instanceCounts(seriesUids));
    }

    /** Candidates of studies and series, each made once so their headers are read at most once. */
    private final class Related {
        private final Map<String, List<Series>> seriesByStudy;
        private final Map<String, Long> counts;
        private final Map<String, QidoCandidate> studies = new HashMap<>();
        private final Map<String, QidoCandidate> series = new HashMap<>();

        Related(Map<String, List<Series>> seriesByStudy, Map<String, Long> counts) {
            this.seriesByStudy = seriesByStudy;
            this.counts = counts;
        }

        QidoCandidate study(Study s) {
            return studies.computeIfAbsent(s.studyUid,
                    uid -> QidoResource.this.study(s, seriesByStudy.getOrDefault(uid, List.of()), counts));
        }

        QidoCandidate series(Series s, Study st) {
            return series.computeIfAbsent(s.seriesUid, uid -> QidoResource.this.series(s, counts).putAll(study(st)));
        }
    }

    private QidoCandidate study(Study s, List<Series> series, Map<String, Long> counts) {
        long instances = series.stream().mapToLong(se -> counts.getOrDefault(se.seriesUid, 0L)).sum();
        Set<String> modalities = new TreeSet<>();
        series.stream().filter(se -> se.modality != null).forEach(se -> modalities.add(se.modality));
        Supplier<AttributeList> header = () -> firstHeader(series);
        return new QidoCandidate(header)
                .put(TagFromName.SpecificCharacterSet, "CS", "ISO_IR 192")
                .put(TagFromName.StudyInstanceUID, "UI", s.studyUid)
                .put(TagFromName.PatientID, "LO", s.patientId)
                .put(TagFromName.PatientName, "PN", s.patientName)
                .put(TagFromName.StudyDate, "DA", s.studyDate)
                .put(TagFromName.StudyDescription, "LO", s.studyDescription)
                .put(TagFromName.AccessionNumber, "SH", s.accessionNumber)
                .put(TagFromName.ModalitiesInStudy, "CS", List.copyOf(modalities))
                .put(INSTANCE_AVAILABILITY, "CS", "ONLINE")
                .put(RETRIEVE_URL, "UR", base() + "/studies/" + s.studyUid)
                .put(NUMBER_OF_STUDY_RELATED_SERIES, "IS", series.size())
                .put(NUMBER_OF_STUDY_RELATED_INSTANCES, "IS", instances);
    }

    private QidoCandidate series(Series s, Map<String, Long> counts) {
        return new QidoCandidate(() -> firstHeader(List.of(s)))
                .put(TagFromName.SeriesInstanceUID, "UI", s.seriesUid)
                .put(TagFromName.Modality, "CS", s.modality)
                .put(TagFromName.SeriesNumber, "IS", s.seriesNumber)
                .put(TagFromName.SeriesDescription, "LO", s.seriesDescription)
                .put(RETRIEVE_URL, "UR", base() + "/studies/" + s.studyUid + "/series/" + s.seriesUid)
                .put(NUMBER_OF_SERIES_RELATED_INSTANCES, "IS", counts.getOrDefault(s.seriesUid, 0L));
    }

    private QidoCandidate instance(Series s, Instance i) {
        return new QidoCandidate(() -> stored.header(i))
                .put(TagFromName.SOPInstanceUID, "UI", i.sopInstanceUid)
                .put(TagFromName.SOPClassUID, "UI", i.sopClassUid)
                .put(TagFromName.InstanceNumber, "IS", i.instanceNumber)
                .put(AVAILABLE_TRANSFER_SYNTAX_UID, "UI", i.transferSyntaxUid)
                .put(RETRIEVE_URL, "UR", base() + "/studies/" + s.studyUid + "/series/" + s.seriesUid
                        + "/instances/" + i.sopInstanceUid);
    }

    private AttributeList firstHeader(List<Series> series) {
        for (Series s : series) {
            List<Instance> instances = stored.instances(s.studyUid, s.seriesUid);
            if (!instances.isEmpty()) {
                return stored.header(instances.get(0));
            }
        }
        return new AttributeList();
    }

    private String base() {
        return DicomWeb.base(uri);
    }
}
