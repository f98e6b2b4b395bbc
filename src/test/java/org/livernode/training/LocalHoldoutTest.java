package org.livernode.training;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local hold-out is decided per case: a case held out today is held out when more corrections arrive (a
 * shuffle of all cases, as the LiTS split does, would move cases between sides), whatever source prefix it has.
 */
class LocalHoldoutTest {

    private static List<LabelledSlice> cases(int n) {
        List<LabelledSlice> slices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            slices.add(new LabelledSlice("2.25." + (1000 + i), 2, 2, new float[4], new byte[4], 1, 1));
        }
        return slices;
    }

    @Test
    void aHeldCaseStaysHeldAsCasesAccumulate() {
        CaseSplit few = LocalHoldout.split(cases(20));
        CaseSplit many = LocalHoldout.split(cases(200));
        assertTrue(many.validationCases().containsAll(few.validationCases()), few.validationCases() + " " + many.validationCases());
        assertTrue(many.trainCases().containsAll(few.trainCases()));
        double fraction = many.validationCases().size() / 200.0;
        assertTrue(fraction > 0.1 && fraction < 0.3, "about 20 % held out: " + fraction);
        assertEquals(LocalHoldout.held("2.25.1003"), LocalHoldout.held("1-local/2.25.1003"), "the source prefix is ignored");
        assertTrue(many.train().stream().noneMatch(s -> LocalHoldout.held(s.caseId())));
    }
}
