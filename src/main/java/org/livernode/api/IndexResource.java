package org.livernode.api;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.hibernate.Session;
import org.livernode.api.Views.CorrectionView;
import org.livernode.api.Views.InstanceView;
import org.livernode.api.Views.JobView;
import org.livernode.api.Views.SeriesSummary;
import org.livernode.api.Views.SeriesView;
import org.livernode.api.Views.StudySummary;
import org.livernode.api.Views.StudyView;
import org.livernode.corrections.Correction;
import org.livernode.corrections.CorrectionState;
import org.livernode.store.Instance;
import org.livernode.store.Job;
import org.livernode.store.JobState;
import org.livernode.store.Series;
import org.livernode.store.Study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Read-only view of what the node received and the jobs it queued. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Transactional
public class IndexResource {

    @Inject
    Session session;
    @Inject
    LiverVolumes volumes;

    @GET
    @Path("/studies")
    public List<StudySummary> studies() {
        Map<String, List<SeriesSummary>> byStudy = new HashMap<>();
        for (SeriesSummary s : summaries(null)) {
            byStudy.computeIfAbsent(s.studyUid(), k -> new ArrayList<>()).add(s);
        }
        return session.createQuery("from Study s order by s.lastReceived desc", Study.class).getResultList().stream()
                .map(s -> StudySummary.of(s, byStudy.getOrDefault(s.studyUid, List.of()))).toList();
    }

    @GET
    @Path("/studies/{uid}")
    public StudyView study(@PathParam("uid") String uid) {
        Study study = session.find(Study.class, uid);
        if (study == null) {
            throw ProblemException.notFound("Study", uid);
        }
        List<SeriesSummary> summaries = summaries(uid);
        long instances = summaries.stream().mapToLong(SeriesSummary::instanceCount).sum();
        return new StudyView(StudySummary.of(study, summaries.size(), instances), summaries, corrections(
                "c.studyUid = :u", uid));
    }

    @GET
    @Path("/series/{uid}")
    public SeriesView series(@PathParam("uid") String uid) {
        Series s = session.find(Series.class, uid);
        if (s == null) {
            throw ProblemException.notFound("Series", uid);
        }
        List<InstanceView> instances = session.createQuery(
                        "from Instance i where i.seriesUid = :u order by i.instanceNumber, i.sopInstanceUid", Instance.class)
                .setParameter("u", uid).getResultList().stream().map(InstanceView::of).toList();
        List<JobView> jobs = jobsOf(uid);
        JobView latest = jobs.isEmpty() ? null : jobs.get(0);
        return new SeriesView(s.seriesUid, s.studyUid, s.modality, s.seriesNumber, s.seriesDescription,
                s.firstReceived, s.lastReceived, instances.size(), latest == null ? null : latest.state(), latest,
                jobs, instances, corrections("c.ctSeriesUid = :u or c.segSeriesUid = :u", uid));
    }

    @GET
    @Path("/jobs")
    public List<JobView> jobs(@QueryParam("state") String state) {
        if (state == null || state.isBlank()) {
            return session.createQuery("from Job j order by j.id desc", Job.class).getResultList().stream().map(JobView::of).toList();
        }
        JobState wanted;
        try {
            wanted = JobState.valueOf(state.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("state must be one of " + Arrays.stream(JobState.values())
                    .map(Enum::name).collect(Collectors.joining(", ")) + ", found '" + state + "'");
        }
        return session.createQuery("from Job j where j.state = :s order by j.id desc", Job.class)
                .setParameter("s", wanted).getResultList().stream().map(JobView::of).toList();
    }

    /**
     * Series of one study (or of all, studyUid null) in series number order, with instance counts and latest
     * jobs from one query each rather than two per series.
     */
    private List<SeriesSummary> summaries(String studyUid) {
        String inStudy = studyUid == null ? "" : " where x.seriesUid in (select s.seriesUid from Series s where s.studyUid = :u)";
        Map<String, Long> counts = new HashMap<>();
        for (Object[] row : withStudy(session.createQuery("select x.seriesUid, count(x) from Instance x" + inStudy
                + " group by x.seriesUid", Object[].class), studyUid).getResultList()) {
            counts.put((String) row[0], (Long) row[1]);
        }
        Map<String, JobView> latest = new HashMap<>();
        for (Job j : withStudy(session.createQuery("from Job x" + (inStudy.isEmpty() ? " where" : inStudy + " and")
                + " x.id in (select max(j.id) from Job j group by j.seriesUid)", Job.class), studyUid).getResultList()) {
            latest.put(j.seriesUid, JobView.of(j));
        }
        Map<String, Views.LiverVolume> reported = volumes.fromReports(session, studyUid);
        return withStudy(session.createQuery("from Series s" + (studyUid == null ? "" : " where s.studyUid = :u")
                + " order by s.seriesNumber, s.firstReceived", Series.class), studyUid).getResultList().stream()
                .map(s -> SeriesSummary.of(s, counts.getOrDefault(s.seriesUid, 0L), latest.get(s.seriesUid),
                        volumes.shown(reported.get(s.seriesUid), latest.get(s.seriesUid)))).toList();
    }

    private static <T> org.hibernate.query.Query<T> withStudy(org.hibernate.query.Query<T> query, String studyUid) {
        return studyUid == null ? query : query.setParameter("u", studyUid);
    }

    /** The Segmentations not made by the node (its own are left out), oldest first. */
    private List<CorrectionView> corrections(String where, String uid) {
        return session.createQuery("from Correction c where (" + where + ") and c.state <> :own order by c.receivedAt",
                        Correction.class).setParameter("u", uid).setParameter("own", CorrectionState.OWN_OUTPUT)
                .getResultList().stream().map(CorrectionView::of).toList();
    }

    private List<JobView> jobsOf(String seriesUid) {
        return session.createQuery("from Job j where j.seriesUid = :u order by j.id desc", Job.class)
                .setParameter("u", seriesUid).getResultList().stream().map(JobView::of).toList();
    }
}
