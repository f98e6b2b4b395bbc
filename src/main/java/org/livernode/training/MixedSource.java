package org.livernode.training;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several training sources with weights ({@code --data lits-slices:PATH@0.7,local@0.3}): each source is split by
 * case on its own, so every source keeps held-out cases, and a training sample is drawn from a source with the
 * probability of its weight, not of its slice count (a few corrected local cases must not drown in 500 LiTS slices).
 * Case ids are prefixed with the source's index and scheme, so two sources cannot share a case.
 */
public final class MixedSource implements LabelledSliceSource {

    /** A list item ends at a comma followed by a known scheme; a weight is a trailing {@code @number}. */
    private static final Pattern WEIGHT = Pattern.compile("^(.*)@([^@]*)$");

    public record Part(String spec, LabelledSliceSource source, double weight) {
    }

    private final List<Part> parts;
    private final Map<String, Integer> partOfCase = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private MixedSource(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /** Parses a comma-separated list of {@code scheme:argument[@weight]}; one item without a weight is a plain source. */
    public static LabelledSliceSource parse(String specs) {
        List<String> items = splitItems(specs);
        if (items.size() == 1 && !WEIGHT.matcher(items.get(0)).matches()) {
            LabelledSliceSource one = DataSpec.parse(items.get(0));
            // local cases are always split by the hold-out rule, so a mix of one is still a mix
            return one instanceof LocalStoreSource ? new MixedSource(List.of(new Part(items.get(0), one, 1))) : one;
        }
        List<Part> parts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String item : items) {
            String spec = item;
            double weight = 1;
            Matcher m = WEIGHT.matcher(item);
            if (m.matches()) {
                spec = m.group(1);
                try {
                    weight = Double.parseDouble(m.group(2));
                } catch (NumberFormatException e) {
                    weight = Double.NaN;
                }
                if (!(weight > 0) || Double.isInfinite(weight)) {
                    throw new IllegalArgumentException("--data weight must be a positive number, found '" + m.group(2)
                            + "' in " + item);
                }
            }
            if (!seen.add(spec)) {
                throw new IllegalArgumentException("--data names the source " + spec + " twice");
            }
            parts.add(new Part(spec, DataSpec.parse(spec), weight));
        }
        return new MixedSource(parts);
    }

    public static List<String> splitItems(String specs) {
        if (specs == null || specs.isBlank()) {
            throw new IllegalArgumentException("--data must name at least one source");
        }
        String schemes = String.join("|", DataSpec.SCHEMES.keySet().stream().map(Pattern::quote).toList());
        List<String> items = new ArrayList<>();
        for (String item : specs.split(",(?=(" + schemes + ")(:|@|$))")) {
            if (item.isBlank()) {
                throw new IllegalArgumentException("--data has an empty item: " + specs);
            }
            items.add(item.trim());
        }
        return items;
    }

    public List<Part> parts() {
        return parts;
    }

    @Override
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (Part p : parts) {
            text.append(text.isEmpty() ? "" : " + ").append(String.format(Locale.ROOT, "weight %.3g: %s",
                    p.weight() / totalWeight(), p.source().describe()));
        }
        notes.forEach(n -> text.append("; ").append(n));
        return text.toString();
    }

    /** Every source's slices, case ids prefixed with {@code <index>-<scheme>/}. */
    @Override
    public List<LabelledSlice> load() throws IOException {
        List<LabelledSlice> all = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String prefix = i + "-" + parts.get(i).spec().split("[:@]", 2)[0] + "/";
            for (LabelledSlice s : parts.get(i).source().load()) {
                String caseId = prefix + s.caseId();
                partOfCase.put(caseId, i);
                all.add(new LabelledSlice(caseId, s.rows(), s.columns(), s.hu(), s.liverMask(), s.rowSpacingMm(),
                        s.columnSpacingMm()));
            }
        }
        return all;
    }

    /**
     * Each source split by case on its own; a source of fewer than 2 cases trains whole (noted in the card). Local
     * corrected cases are split by {@link LocalHoldout} instead (seed and fraction fixed): the cases the promotion
     * gate scores on never train.
     */
    CaseSplit split(List<LabelledSlice> slices, long seed, double trainFraction) {
        List<String> trainCases = new ArrayList<>();
        List<String> validationCases = new ArrayList<>();
        List<LabelledSlice> train = new ArrayList<>();
        List<LabelledSlice> validation = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            int part = i;
            List<LabelledSlice> own = slices.stream().filter(s -> partOfCase.get(s.caseId()) == part).toList();
            long cases = own.stream().map(LabelledSlice::caseId).distinct().count();
            if (parts.get(i).source() instanceof LocalStoreSource) {
                CaseSplit held = LocalHoldout.split(own);
                notes.add(String.format(Locale.ROOT, "%s: %d of %d case(s) held out for the promotion gate (fixed rule, seed %d)",
                        parts.get(i).spec(), held.validationCases().size(), cases, LocalHoldout.SEED));
                trainCases.addAll(held.trainCases());
                validationCases.addAll(held.validationCases());
                train.addAll(held.train());
                validation.addAll(held.validation());
                continue;
            }
            if (cases < 2) {
                notes.add(parts.get(i).spec() + " has " + cases + " case(s): all in training, none held out");
                own.stream().map(LabelledSlice::caseId).distinct().forEach(trainCases::add);
                train.addAll(own);
                continue;
            }
            CaseSplit one = CaseSplit.of(own, seed, trainFraction);
            trainCases.addAll(one.trainCases());
            validationCases.addAll(one.validationCases());
            train.addAll(one.train());
            validation.addAll(one.validation());
        }
        return new CaseSplit(seed, trainFraction, trainCases, validationCases, train, validation);
    }

    /** An epoch of {@code train.size()} draws: a source by weight (among those with training slices), then a slice of it. */
    List<LabelledSlice> epochOrder(List<LabelledSlice> train, Random random) {
        List<List<LabelledSlice>> pools = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            pools.add(new ArrayList<>());
        }
        train.forEach(s -> pools.get(partOfCase.get(s.caseId())).add(s));
        double total = 0;
        for (int i = 0; i < parts.size(); i++) {
            total += pools.get(i).isEmpty() ? 0 : parts.get(i).weight();
        }
        List<LabelledSlice> order = new ArrayList<>(train.size());
        for (int n = 0; n < train.size(); n++) {
            double r = random.nextDouble() * total;
            int pick = -1;
            for (int i = 0; i < parts.size() && (pick < 0 || r >= 0); i++) {
                if (!pools.get(i).isEmpty()) {
                    pick = i;
                    r -= parts.get(i).weight();
                }
            }
            List<LabelledSlice> pool = pools.get(pick);
            order.add(pool.get(random.nextInt(pool.size())));
        }
        return order;
    }

    /** For the card: each source with its weight and its cases and slices on each side of the split. */
    List<Map<String, Object>> cardEntries(CaseSplit split) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            int part = i;
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("data", parts.get(i).spec());
            e.put("weight", parts.get(i).weight() / totalWeight());
            e.put("trainCases", split.trainCases().stream().filter(c -> partOfCase.get(c) == part).count());
            e.put("trainSlices", split.train().stream().filter(s -> partOfCase.get(s.caseId()) == part).count());
            e.put("validationCases", split.validationCases().stream().filter(c -> partOfCase.get(c) == part).count());
            e.put("validationSlices", split.validation().stream().filter(s -> partOfCase.get(s.caseId()) == part).count());
            entries.add(e);
        }
        return entries;
    }

    private double totalWeight() {
        return parts.stream().mapToDouble(Part::weight).sum();
    }
}
