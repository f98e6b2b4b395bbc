package org.livernode.registry;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.model.ModelCard;
import org.livernode.model.ModelFiles;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate with the real bundled model on real LiTS slices (the validation split of the first 10 volumes, by the
 * seed and fraction of the bundled card): a copy made worse on purpose is refused and stays inactive; made active
 * anyway (by a gate of margin 0.99), the bundled model is the better candidate and is promoted; LiTS data that is
 * not there refuses, naming the path.
 */
class PromotionGateTest {

    private static final PromotionGate STRICT = new PromotionGate(new PromotionGate.Settings(0.005, Optional.empty(), 8, false));

    @TempDir
    Path temp;
    private Path lits;
    private ModelRegistry registry;

    @BeforeEach
    void data() throws Exception {
        Assumptions.assumeTrue(TestModels.litsPresent(), "skipped: real data " + TestModels.LITS.toAbsolutePath() + " absent");
        lits = TestModels.litsSubset(temp.resolve("lits"), 10);
        registry = new ModelRegistry(temp.resolve("data"), TestModels.BUNDLED);
    }

    private List<ValidationSets.Set> sets(Optional<String> validationData) throws Exception {
        ModelCard active = ModelFiles.readCard(registry.active().dir());
        return ValidationSets.of(active, validationData, Path.of("."), temp.resolve("data"));
    }

    private GateReport gate(PromotionGate gate, String candidate, Optional<String> data, List<String> waived) throws Exception {
        ModelRegistry.Active active = registry.active();
        return gate.evaluate(new PromotionGate.Model(active.version(), active.dir()),
                new PromotionGate.Model(candidate, registry.dirOf(registry.read(), candidate)), sets(data), waived);
    }

    @Test
    void aWorseCandidateIsRefusedAndABetterOneIsPromoted() throws Exception {
        registry.register(TestModels.worse(temp.resolve("worse"), "v3-worse", 4f), null, "test");
        Optional<String> data = Optional.of("lits-slices:" + lits);

        GateReport refused = gate(STRICT, "v3-worse", data, List.of());
        refused.print(System.out);
        GateReport.SetFigures onLits = refused.sets().get(0);
        assertEquals("lits", onLits.set());
        assertEquals(2, onLits.cases(), "2 of 10 volumes are the validation split at seed 42, fraction 0.8");
        assertTrue(onLits.candidateMeanDsc() < onLits.activeMeanDsc() - 0.005, onLits.toString());
        assertEquals(0, refused.sets().get(1).cases());
        assertTrue(refused.sets().get(1).note().startsWith("no case"), refused.sets().get(1).note());
        assertFalse(refused.passed());
        assertTrue(refused.reason().contains("more than the margin 0.0050"), refused.reason());
        RegistryFile.LogEntry entry = registry.promote(refused, "test");
        assertEquals("refused", entry.action());
        assertNull(registry.read().active(), "the bundled model stays active");
        assertEquals(onLits, entry.figures().get(0), "the log keeps the figures");

        // made active by a lenient gate, the worse model is beaten by the bundled one
        GateReport lenient = new PromotionGate(new PromotionGate.Settings(0.99, Optional.empty(), 8, false))
                .evaluate(new PromotionGate.Model("v3", TestModels.BUNDLED),
                        new PromotionGate.Model("v3-worse", registry.dirOf(registry.read(), "v3-worse")), sets(data), List.of());
        assertTrue(lenient.passed(), lenient.reason());
        assertEquals("promoted", registry.promote(lenient, "test").action());
        assertEquals("v3-worse", registry.active().version());

        registry.register(TestModels.BUNDLED, null, "test");
        GateReport better = gate(STRICT, "v3", data, List.of());
        better.print(System.out);
        assertTrue(better.passed(), better.reason());
        assertEquals(onLits.activeMeanDsc(), better.sets().get(0).candidateMeanDsc(), 1e-9, "one inference path: same figures");
        assertEquals(onLits.candidateMeanDsc(), better.sets().get(0).activeMeanDsc(), 1e-9);
        assertEquals("promoted", registry.promote(better, "test").action());
        assertEquals("v3", registry.active().version());
        assertEquals(temp.resolve("data/models/v3").toAbsolutePath(), registry.active().dir());
        assertEquals("v3-worse", registry.rollback("test").version());
        assertEquals("v3-worse", registry.active().version());
    }

    @Test
    void missingLitsRefusesNamingThePathUnlessWaived() throws Exception {
        registry.register(TestModels.BUNDLED, "v3-copy", "test");
        Path nowhere = temp.resolve("no-such-lits");
        GateReport refused = gate(STRICT, "v3-copy", Optional.of(nowhere.toString()), List.of());
        assertFalse(refused.passed());
        assertTrue(refused.reason().contains(nowhere.toString()), refused.reason());
        // waived, the local set decides, and it has no case yet: still refused, saying so
        GateReport waived = gate(STRICT, "v3-copy", Optional.of(nowhere.toString()), List.of("lits"));
        assertFalse(waived.passed());
        assertTrue(waived.reason().contains("no validation set has a case"), waived.reason());
        assertTrue(waived.flags().get(0).startsWith("without-lits"), waived.flags().toString());
    }
}
