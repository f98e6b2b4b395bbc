package org.livernode.corrections;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.Session;

import java.util.List;

/**
 * Agreement with corrections as Prometheus meters (at /q/metrics), per model version, so a drop (model drift) shows:
 * {@code livernode_corrections_cases} and {@code livernode_corrections_dsc_mean} from the database (every replica
 * reports the whole node's figures, also after a restart), and the {@code livernode_correction_dsc} distribution of
 * the cases this process measured (buckets at the DSC levels a reader cares about).
 */
@ApplicationScoped
public class CorrectionMetrics {
    public static final String UNKNOWN_MODEL = "unknown";

    private final MeterRegistry registry;
    private final MultiGauge cases;
    private final MultiGauge meanDsc;

    @Inject
    Session session;

    @Inject
    public CorrectionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.cases = MultiGauge.builder("livernode.corrections.cases")
                .description("Corrected cases measured against the node's SEG, by model version").register(registry);
        this.meanDsc = MultiGauge.builder("livernode.corrections.dsc.mean")
                .description("Mean DSC of the node's SEG against the corrections, by model version").register(registry);
    }

    /** Per model version: the count of measured corrections and their mean DSC (the QA view reads the same). */
    public record ModelAgreement(String model, long cases, double meanDsc) {
    }

    public List<ModelAgreement> perModel() {
        return QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                        "select c.model, count(c), avg(c.dsc) from Correction c where c.state = :measured"
                                + " group by c.model order by c.model", Object[].class)
                .setParameter("measured", CorrectionState.MEASURED).getResultList()).stream()
                .map(r -> new ModelAgreement(r[0] == null ? UNKNOWN_MODEL : (String) r[0], ((Number) r[1]).longValue(),
                        ((Number) r[2]).doubleValue())).toList();
    }

    void measured(Correction c) {
        DistributionSummary.builder("livernode.correction.dsc")
                .description("DSC of the node's SEG against each correction measured by this process")
                .tag("model", c.model == null ? UNKNOWN_MODEL : c.model)
                .serviceLevelObjectives(0.5, 0.7, 0.8, 0.9, 0.95, 0.98)
                .register(registry).record(c.dsc);
    }

    /** Re-reads the per-model figures from the database into the gauges. */
    public void refresh() {
        List<ModelAgreement> rows = perModel();
        cases.register(rows.stream().map(r -> MultiGauge.Row.of(Tags.of("model", r.model()), r.cases())).toList(), true);
        meanDsc.register(rows.stream().map(r -> MultiGauge.Row.of(Tags.of("model", r.model()), r.meanDsc())).toList(), true);
    }
}
