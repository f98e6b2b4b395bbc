package org.livernode.training;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The one rule that holds local corrected cases out of training: a case (Study Instance UID) is held out when a
 * hash of the fixed {@link #SEED} and its id falls under {@link #HELD_FRACTION}. Decided per case, not by shuffling
 * the cases there are today, so a held case stays held as corrections accumulate: the promotion gate scores on
 * them ({@code registry.ValidationSets}) and no retraining ({@link MixedSource}) ever sees them.
 */
public final class LocalHoldout {

    public static final long SEED = 42;
    public static final double HELD_FRACTION = 0.2;

    private LocalHoldout() {
    }

    /** Whether the case {@code caseId} (a Study Instance UID; a source prefix up to the last '/' is ignored) is held out. */
    public static boolean held(String caseId) {
        String id = caseId.substring(caseId.lastIndexOf('/') + 1);
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((SEED + ":" + id).getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 7; i++) {
                bits = (bits << 8) | (h[i] & 0xff);
            }
            return bits / (double) (1L << 56) < HELD_FRACTION;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** {@code slices} split by the rule: held cases are the validation side (either side may be empty). */
    public static CaseSplit split(List<LabelledSlice> slices) {
        List<String> train = new ArrayList<>();
        List<String> validation = new ArrayList<>();
        for (String c : new TreeSet<>(slices.stream().map(LabelledSlice::caseId).toList())) {
            (held(c) ? validation : train).add(c);
        }
        return new CaseSplit(SEED, 1 - HELD_FRACTION, train, validation,
                slices.stream().filter(s -> !held(s.caseId())).toList(),
                slices.stream().filter(s -> held(s.caseId())).toList());
    }
}
