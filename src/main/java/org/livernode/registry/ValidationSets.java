package org.livernode.registry;

import org.livernode.model.ModelCard;
import org.livernode.training.CaseSplit;
import org.livernode.training.DataSpec;
import org.livernode.training.LabelledSlice;
import org.livernode.training.LitsSlicesSource;
import org.livernode.training.LitsVolumesSource;
import org.livernode.training.LocalHoldout;
import org.livernode.training.LocalStoreSource;
import org.livernode.training.MixedSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The gate's fixed validation sets. {@code lits}: the LiTS validation split recorded in the active model's card
 * (seed and train fraction), from {@code livernode.models.validation-data} or else the card's own training data.
 * {@code local}: the node's corrected cases that {@link LocalHoldout} holds out of every retraining.
 */
public final class ValidationSets {

    /** One set; {@code missing} says why it could not be read (the LiTS set must be there, unless waived). */
    public record Set(String name, String source, List<LabelledSlice> slices, String note, String missing) {
        public long cases() {
            return slices.stream().map(LabelledSlice::caseId).distinct().count();
        }
    }

    private ValidationSets() {
    }

    /**
     * @param validationData a LiTS data spec ({@code lits-slices:PATH}, {@code lits:PATH}, or a bare PATH of slices);
     *                       empty: the first LiTS source of the active card's {@code training.data}
     * @param home           where relative paths are also looked for (the installation, livernode.home)
     */
    public static List<Set> of(ModelCard activeCard, Optional<String> validationData, Path home, Path dataDir) {
        return List.of(lits(activeCard, validationData, home), local(dataDir));
    }

    static Set lits(ModelCard card, Optional<String> validationData, Path home) {
        String spec = validationData.filter(s -> !s.isBlank()).map(String::trim).orElseGet(() -> litsOfCard(card));
        if (spec == null) {
            return new Set("lits", "none", List.of(), null, "the active model's card names no LiTS training data; "
                    + "set livernode.models.validation-data to lits-slices:PATH");
        }
        if (!spec.startsWith(LitsSlicesSource.SCHEME + ":") && !spec.startsWith(LitsVolumesSource.SCHEME + ":")) {
            spec = LitsSlicesSource.SCHEME + ":" + spec;
        }
        spec = resolved(spec, home);
        long seed = number(card, "splitSeed", 42).longValue();
        double fraction = number(card, "trainFraction", 0.8).doubleValue();
        try {
            List<LabelledSlice> all = DataSpec.parse(spec).load();
            CaseSplit split = CaseSplit.of(all, seed, fraction);
            return new Set("lits", spec, split.validation(), String.format(Locale.ROOT,
                    "validation split of the active card: seed %d, train fraction %s", seed, fraction), null);
        } catch (IOException | IllegalArgumentException e) {
            return new Set("lits", spec, List.of(), null, "LiTS validation data " + spec + " cannot be read: " + e.getMessage());
        }
    }

    static Set local(Path dataDir) {
        String source = LocalStoreSource.SCHEME + ":" + dataDir.toAbsolutePath().normalize();
        List<LabelledSlice> all;
        try {
            all = new LocalStoreSource(dataDir.toString()).load();
        } catch (IOException e) {
            return new Set("local", source, List.of(), "no corrected case: " + e.getMessage(), null);
        }
        CaseSplit split = LocalHoldout.split(all);
        String note = split.validationCases().size() + " of " + (split.trainCases().size() + split.validationCases().size())
                + " corrected case(s) held out (fixed rule, seed " + LocalHoldout.SEED + ")";
        return new Set("local", source, split.validation(), note, null);
    }

    /** The first LiTS source of the card's training data (one spec, or a weighted list), without its weight. */
    private static String litsOfCard(ModelCard card) {
        Object data = card.training().get("data");
        if (!(data instanceof String text) || text.isBlank()) {
            return null;
        }
        for (String item : MixedSource.splitItems(text)) {
            String spec = item.replaceFirst("@[^@]*$", "");
            if (spec.startsWith(LitsSlicesSource.SCHEME + ":") || spec.startsWith(LitsVolumesSource.SCHEME + ":")) {
                return spec;
            }
        }
        return null;
    }

    /** A relative PATH that is not there from the working directory is looked for under {@code home}. */
    private static String resolved(String spec, Path home) {
        int colon = spec.indexOf(':');
        String argument = spec.substring(colon + 1);
        int query = argument.indexOf('?');
        String path = query < 0 ? argument : argument.substring(0, query);
        Path p = Path.of(path);
        if (!p.isAbsolute() && !Files.exists(p) && home != null && Files.exists(home.resolve(p))) {
            return spec.substring(0, colon + 1) + home.resolve(p).normalize() + (query < 0 ? "" : argument.substring(query));
        }
        return spec;
    }

    /** A number of the card's training record (split seed, train fraction), else {@code fallback}. */
    static Number number(ModelCard card, String key, Number fallback) {
        return card.training().get(key) instanceof Number n ? n : fallback;
    }
}
