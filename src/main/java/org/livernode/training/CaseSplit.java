package org.livernode.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Train/validation split BY CASE (volume), never by slice, so one patient never lands on both sides:
 * sorted case ids shuffled with a fixed seed, the first round(trainFraction * cases) train.
 */
public record CaseSplit(long seed, double trainFraction, List<String> trainCases, List<String> validationCases,
                        List<LabelledSlice> train, List<LabelledSlice> validation) {

    public static CaseSplit of(List<LabelledSlice> slices, long seed, double trainFraction) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be in (0, 1), found " + trainFraction);
        }
        List<String> cases = new ArrayList<>(new TreeSet<>(slices.stream().map(LabelledSlice::caseId).toList()));
        if (cases.size() < 2) {
            throw new IllegalArgumentException("a split by case needs at least 2 cases, found " + cases.size());
        }
        Collections.shuffle(cases, new Random(seed));
        int nTrain = (int) Math.max(1, Math.min(cases.size() - 1, Math.round(trainFraction * cases.size())));
        Set<String> trainSet = new TreeSet<>(cases.subList(0, nTrain));
        List<String> val = new ArrayList<>(new TreeSet<>(cases.subList(nTrain, cases.size())));
        List<LabelledSlice> train = slices.stream().filter(s -> trainSet.contains(s.caseId())).toList();
        List<LabelledSlice> validation = slices.stream().filter(s -> !trainSet.contains(s.caseId())).toList();
        return new CaseSplit(seed, trainFraction, List.copyOf(trainSet), val, train, validation);
    }
}
