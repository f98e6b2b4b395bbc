package org.livernode.training;

import org.livernode.model.ModelCard;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What a model card says about where its weights came from: a fingerprint of the exact data and split, and every
 * training stage from random weights to these, each with its code version (a stage started with --init inherits
 * the stages of the model it started from).
 */
final class TrainingProvenance {

    private TrainingProvenance() {
    }

    /** SHA-256 over the split's slices, training then validation, each its case id, size, HU and mask. */
    static String dataSha256(CaseSplit split) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (List<LabelledSlice> part : List.of(split.train(), split.validation())) {
            for (LabelledSlice s : part) {
                digest.update(s.caseId().getBytes(StandardCharsets.UTF_8));
                ByteBuffer buffer = ByteBuffer.allocate(8 + 4 * s.hu().length);
                buffer.putInt(s.rows()).putInt(s.columns());
                buffer.asFloatBuffer().put(s.hu());
                digest.update(buffer.array());
                digest.update(s.liverMask());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The stages of the model this run started from (none from random weights), then this run's. */
    @SuppressWarnings("unchecked")
    static List<String> stages(ModelCard initial, String initialisedFrom, TrainingOptions options, String kept,
                               String codeVersion) {
        List<String> stages = new ArrayList<>();
        if (initial != null) {
            Object earlier = initial.training().get("stages");
            if (earlier instanceof List<?> list && !list.isEmpty()) {
                list.forEach(x -> stages.add(String.valueOf(x)));
            } else {
                stages.add("1: " + initialisedFrom + " (its card lists no stages)");
            }
        }
        String from = initial == null ? "from random weights" : "from " + initialisedFrom + " (--init)";
        stages.add(String.format(Locale.ROOT,
                "%d: %s, %d epochs planned, SGD lr %s %s, %dx%d crops of the %dx%d frame, batch %d, seed %d; kept %s;"
                        + " code %s", stages.size() + 1, from, options.epochs(),
                options.learningRate(), options.schedule().name().toLowerCase(Locale.ROOT), options.cropSize(),
                options.cropSize(), options.inputSize(), options.inputSize(), options.batchSize(), options.seed(),
                kept, codeVersion));
        return stages;
    }
}
