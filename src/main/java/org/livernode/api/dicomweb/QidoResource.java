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
        List<QidoCandidate> candidates = new ArrayList<>();
        Map<String, List<Series>> seriesByStudy = groupByStudy(stored.series(null));
        Map<String, Long> counts = instanceCounts();
        for (Study s : stored.studies()) {
            candidates.add(study(s, seriesByStudy.getOrDefault(s.studyUid, List.of()), counts));
        }
        return answer(candidates, STUDY_RETURN, q);
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
        List<Series> all = stored.series(studyUid);
        Map<String, Long> counts = instanceCounts();
        Map<String, QidoCandidate> studies = studyCandidates(all, counts);
        List<QidoCandidate> candidates = new ArrayList<>();
        for (Series s : all) {
            candidates.add(series(s, counts).putAll(studies.get(s.studyUid)));
        }
        return answer(candidates, SERIES_RETURN, q);
    }

    private ArrayNode instances(String studyUid, String seriesUid) {
        QidoQuery q = QidoQuery.parse(uri.getQueryParameters());
        List<Series> all = seriesUid != null ? listOf(stored.seriesRow(seriesUid)) : stored.series(studyUid);
        all = all.stream().filter(s -> studyUid == null || s.studyUid.equals(studyUid)).toList();
        Map<String, Long> counts = instanceCounts();
        Map<String, QidoCandidate> studies = studyCandidates(all, counts);
        List<QidoCandidate> candidates = new ArrayList<>();
        for (Series s : all) {
            QidoCandidate series = series(s, counts).putAll(studies.get(s.studyUid));
            for (Instance i : stored.instances(s.studyUid, s.seriesUid)) {
                candidates.add(instance(s, i).putAll(series));
            }
        }
        return answer(candidates, INSTANCE_RETURN, q);
    }

    private static <T> List<T> listOf(T t) {
        return t == null ? List.of() : List.of(t);
    }

    private ArrayNode answer(List<QidoCandidate> candidates, List<AttributeTag> returned, QidoQuery q) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        Set<AttributeTag> tags = new LinkedHashSet<>(returned);
        int skipped = 0;
        for (QidoCandidate c : candidates) {
            if (out.size() >= q.limit) {
                break;
            }
            if (c.matches(q)) {
                if (skipped++ < q.offset) {
                    continue;
                }
                out.add(c.toJson(tags, q));
            }
        }
        return out;
    }

    private Map<String, QidoCandidate> studyCandidates(List<Series> series, Map<String, Long> counts) {
        Map<String, QidoCandidate> out = new HashMap<>();
        Map<String, List<Series>> byStudy = groupByStudy(stored.series(null));
        for (Series s : series) {
            out.computeIfAbsent(s.studyUid, uid -> study(stored.study(uid), byStudy.getOrDefault(uid, List.of()), counts));
        }
        return out;
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

    private Map<String, Long> instanceCounts() {
        return stored.instanceCounts();
    }

    private static Map<String, List<Series>> groupByStudy(List<Series> series) {
        Map<String, List<Series>> out = new HashMap<>();
        for (Series s : series) {
            out.computeIfAbsent(s.studyUid, k -> new ArrayList<>()).add(s);
        }
        return out;
    }

    private String base() {
        return DicomWeb.base(uri);
    }
}
