package org.livernode.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import org.livernode.model.GraphScalars;

/**
 * Cross-entropy + soft Dice, summed over every network output: the fused prediction with weight 1 and each
 * deep-supervision side output with {@code sideWeight}. Outputs are liver logits (N, 1, S, S); the label is
 * the 0/1 mask of the same shape. Binary cross-entropy is computed from logits in the stable form
 * max(x, 0) - x*y + log(1 + exp(-|x|)); soft Dice is pooled over the batch (slices without liver do not
 * divide by zero).
 */
public final class DeepSupervisionLoss extends Loss {

    private static final float SMOOTH = 1f;
    private final float sideWeight;

    public DeepSupervisionLoss(float sideWeight) {
        super("ce+dice");
        if (!(sideWeight >= 0)) {
            throw new IllegalArgumentException("sideWeight must be >= 0, found " + sideWeight);
        }
        this.sideWeight = sideWeight;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray y = labels.singletonOrThrow();
        NDArray total = single(predictions.get(0), y);
        for (int k = 1; k < predictions.size(); k++) {
            total = total.add(single(predictions.get(k), y).mul(GraphScalars.of(y, sideWeight)));
        }
        return total;
    }

    /** Every number the backward pass reads is a {@link GraphScalars} tensor (add/sub of a number keep none). */
    static NDArray single(NDArray logits, NDArray y) {
        NDArray ce = logits.maximum(GraphScalars.of(logits, 0f)).sub(logits.mul(y))
                .add(logits.abs().neg().exp().add(1f).log()).mean();
        NDArray p = Activation.sigmoid(logits);
        NDArray intersection = p.mul(y).sum();
        NDArray dice = intersection.mul(GraphScalars.of(y, 2f)).add(SMOOTH).div(p.sum().add(y.sum()).add(SMOOTH));
        return ce.add(dice.neg().add(1f));
    }
}
