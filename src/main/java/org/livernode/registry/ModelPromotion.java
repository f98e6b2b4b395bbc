package org.livernode.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.livernode.config.LivernodeConfig;
import org.livernode.model.ModelFiles;
import org.livernode.security.AuditTrail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The registry as the node's settings make it ({@code livernode.data-dir}, {@code livernode.inference.model-dir},
 * {@code livernode.models.*}): evaluate a candidate against the active model, promote it through the gate, roll
 * back; every promotion, refusal and rollback is also written to the audit trail.
 */
@ApplicationScoped
public class ModelPromotion {

    private static final Logger LOG = Logger.getLogger(ModelPromotion.class);

    @Inject
    LivernodeConfig config;
    @Inject
    AuditTrail audit;

    public ModelRegistry registry() {
        return new ModelRegistry(config.dataDir(), config.inference().modelDir());
    }

    /** Who did it: {@code by}, else the operating-system user. */
    public static String who(String by) {
        return by != null && !by.isBlank() ? by : System.getProperty("user.name", "unknown");
    }

    /** A registered version, or a model folder registered first (as {@code version}, else its card's). */
    public String candidate(String versionOrDir, String version, String by) throws IOException {
        ModelRegistry registry = registry();
        RegistryFile file = registry.read();
        Path dir = Path.of(versionOrDir);
        if (file.version(versionOrDir) != null) {
            return versionOrDir;
        }
        if (!Files.isRegularFile(dir.resolve("model-card.json"))) {
            throw new IllegalArgumentException(versionOrDir + " is neither a registered version nor a model folder "
                    + "(with model-card.json); known: " + file.versions().stream().map(RegistryFile.Version::version).toList());
        }
        RegistryFile.Version added = registry.register(dir, version, by);
        LOG.infof("model registry %s: %s registered from %s by %s", registry.file(), added.version(), dir, by);
        return added.version();
    }

    /** Scores {@code candidate} (a registered version) and the active model on the validation sets. */
    public GateReport evaluate(String candidate, boolean withoutLits) throws IOException {
        ModelRegistry registry = registry();
        RegistryFile file = registry.read();
        ModelRegistry.Active active = registry.active(file);
        List<ValidationSets.Set> sets = ValidationSets.of(ModelFiles.readCard(active.dir()),
                config.models().validationData(), config.home(), config.dataDir());
        PromotionGate gate = new PromotionGate(new PromotionGate.Settings(config.models().promotionMargin(),
                config.inference().threshold(), config.inference().batchSize(), config.inference().testTimeAugmentation(),
                config.inference().engine()));
        return gate.evaluate(new PromotionGate.Model(active.version(), active.dir()),
                new PromotionGate.Model(candidate, registry.dirOf(file, candidate)), sets,
                withoutLits ? List.of("lits") : List.of());
    }

    /** Evaluates, then records the decision (promoted or refused) in the registry's log and the audit trail. */
    public RegistryFile.LogEntry promote(String candidate, boolean withoutLits, String by) throws IOException {
        GateReport report = evaluate(candidate, withoutLits);
        return decide(report, by);
    }

    /** Records a decision on a report just made. */
    public RegistryFile.LogEntry decide(GateReport report, String by) throws IOException {
        RegistryFile.LogEntry entry = registry().promote(report, by);
        String what = String.format(Locale.ROOT, "model %s %s (active was %s, margin %.4f): %s%s", entry.version(),
                entry.action(), entry.previous(), report.margin(), entry.reason(),
                report.flags().isEmpty() ? "" : "; flags " + report.flags());
        LOG.infof("model registry %s: %s", registry().file(), what);
        audit.configurationChanged(by, what);
        return entry;
    }

    public RegistryFile.LogEntry rollback(String by) throws IOException {
        RegistryFile.LogEntry entry = registry().rollback(by);
        String what = "model rolled back from " + entry.previous() + " to " + entry.version();
        LOG.infof("model registry %s: %s", registry().file(), what);
        audit.configurationChanged(by, what);
        return entry;
    }
}
