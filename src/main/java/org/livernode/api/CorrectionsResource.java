package org.livernode.api;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.hibernate.Session;
import org.livernode.api.Views.CorrectionView;
import org.livernode.corrections.Correction;
import org.livernode.corrections.CorrectionMetrics;
import org.livernode.corrections.CorrectionState;

import java.util.List;

/**
 * {@code GET /api/corrections}: the QA view of the deployed models against radiologists' corrections, per model
 * version the count of corrected cases, their mean DSC and the worst cases (lowest DSC first).
 */
@Path("/api/corrections")
@Produces(MediaType.APPLICATION_JSON)
@Transactional
public class CorrectionsResource {
    private static final int DEFAULT_WORST = 5;

    @Inject
    Session session;
    @Inject
    CorrectionMetrics metrics;

    public record ModelQa(String model, long cases, double meanDsc, List<CorrectionView> worst) {
    }

    @GET
    public List<ModelQa> perModel(@QueryParam("worst") Integer worst) {
        int n = worst == null ? DEFAULT_WORST : worst;
        if (n < 1 || n > 1000) {
            throw ProblemException.badRequest("worst must be between 1 and 1000, found " + n);
        }
        return metrics.perModel().stream().map(m -> new ModelQa(m.model(), m.cases(), m.meanDsc(), worst(m.model(), n)))
                .toList();
    }

    private List<CorrectionView> worst(String model, int n) {
        boolean unknown = CorrectionMetrics.UNKNOWN_MODEL.equals(model);
        var query = session.createQuery("from Correction c where c.state = :measured and "
                        + (unknown ? "c.model is null" : "c.model = :model") + " order by c.dsc, c.receivedAt", Correction.class)
                .setParameter("measured", CorrectionState.MEASURED);
        if (!unknown) {
            query.setParameter("model", model);
        }
        return query.setMaxResults(n).getResultList().stream().map(CorrectionView::of).toList();
    }
}
