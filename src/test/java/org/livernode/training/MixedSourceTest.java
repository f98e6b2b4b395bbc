package org.livernode.training;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --data a@w,b@w}: parsing, a split by case per source, and samples drawn by weight rather than by size. */
class MixedSourceTest {

    private static final Path LITS = RealBatchTrainingTest.LITS;

    @Test
    void oneSourceWithoutAWeightIsThePlainSourceExceptLocal() {
        assertInstanceOf(LitsSlicesSource.class, MixedSource.parse("lits-slices:/tmp/x"));
        assertInstanceOf(MixedSource.class, MixedSource.parse("local:/tmp/x"), "local alone is split by the hold-out rule too");
        assertInstanceOf(MixedSource.class, MixedSource.parse("local:/tmp/x@2"));
    }

    @Test
    void itemsEndAtACommaBeforeAScheme() {
        assertEquals(List.of("lits-slices:/data/a,b", "local@0.3"), MixedSource.splitItems("lits-slices:/data/a,b,local@0.3"));
        assertEquals(List.of("local:/x", "lits:/y?size=256&min-liver-fraction=0.015@2"),
                MixedSource.splitItems("local:/x,lits:/y?size=256&min-liver-fraction=0.015@2"));
    }

    @Test
    void badListsAreRefusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MixedSource.parse("local:/x@0,lits-slices:/y"));
        assertTrue(e.getMessage().contains("'0'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MixedSource.parse("local:/x@much,lits-slices:/y"));
        assertTrue(e.getMessage().contains("'much'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MixedSource.parse("local:/x,local:/x@2"));
        assertTrue(e.getMessage().contains("twice") && e.getMessage().contains("local:/x"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MixedSource.parse("nifti:/y@2,local:/x"));
        assertTrue(e.getMessage().contains("nifti"), e.getMessage());
    }

    @Test
    void eachSourceIsSplitOnItsOwnAndDrawnByItsWeight() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(LITS.resolve("images")),
                "skipped: real data " + LITS.toAbsolutePath() + " absent (CI lays out shared/ beside the clone)");
        // the same slices twice under two names: a large source and a small one (only its first 4 volumes)
        MixedSource mix = (MixedSource) MixedSource.parse("lits-slices:" + LITS + "@1,lits-slices:" + LITS + "/.@3");
        List<LabelledSlice> all = mix.load();
        List<LabelledSlice> small = all.stream().filter(s -> s.caseId().startsWith("1-")).toList();
        Set<String> kept = small.stream().map(LabelledSlice::caseId).distinct().sorted().limit(4).collect(Collectors.toSet());
        List<LabelledSlice> slices = all.stream().filter(s -> s.caseId().startsWith("0-") || kept.contains(s.caseId())).toList();

        CaseSplit split = mix.split(slices, 42, 0.75);
        CaseSplit whole = CaseSplit.of(slices.stream().filter(s -> s.caseId().startsWith("0-")).toList(), 42, 0.75);
        assertEquals(whole.validationCases(), split.validationCases().stream().filter(c -> c.startsWith("0-")).toList(),
                "the large source is split as it would be alone");
        assertEquals(1, split.validationCases().stream().filter(c -> c.startsWith("1-")).count(),
                "the small source keeps one of its 4 cases for validation");
        assertFalse(split.trainCases().stream().anyMatch(split.validationCases()::contains), "no case on both sides");

        int fromSmall = 0;
        int draws = 0;
        Random random = new Random(7);
        for (int epoch = 0; epoch < 20; epoch++) {
            for (LabelledSlice s : mix.epochOrder(split.train(), random)) {
                fromSmall += s.caseId().startsWith("1-") ? 1 : 0;
                draws++;
            }
        }
        double share = fromSmall / (double) draws;
        long smallSlices = split.train().stream().filter(s -> s.caseId().startsWith("1-")).count();
        assertTrue(smallSlices < split.train().size() / 10, "the small source is a small part of the slices");
        assertEquals(0.75, share, 0.02, "weights 1:3 draw three quarters from the small source, not its "
                + smallSlices + " of " + split.train().size() + " slices");
        List<?> card = mix.cardEntries(split);
        assertEquals(2, card.size());
        assertTrue(card.get(1).toString().contains("weight=0.75"), card.toString());
    }

    @Test
    void aRunOnTwoSourcesRecordsEachInTheCard(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(LITS.resolve("images")),
                "skipped: real data " + LITS.toAbsolutePath() + " absent (CI lays out shared/ beside the clone)");
        TrainingOptions options = TrainingOptions.builder().setArchitecture(org.livernode.model.ModelArchitecture.easUnet(4))
                .setOutput(dir.resolve("mixed")).optBatchSize(2).optInputSize(32).optCropSize(32).optScaleJitter(0)
                .optMaxTrainSlices(8).optEpochs(1).build();
        new SegmentationTraining(options, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .run(MixedSource.parse("lits-slices:" + LITS + "@0.7,lits-slices:" + LITS + "/.@0.3"));
        org.livernode.model.ModelCard card = org.livernode.model.ModelFiles.readCard(dir.resolve("mixed"));
        String sources = String.valueOf(card.training().get("sources"));
        System.out.println("two-source run: train loss " + card.metrics().get("train_loss") + ", val DSC "
                + card.metrics().get("val_dsc_pooled"));
        assertTrue(sources.contains("weight=0.7") && sources.contains("weight=0.3"), sources);
        assertTrue(String.valueOf(card.training().get("data")).contains(" + "), String.valueOf(card.training().get("data")));
    }
}
