package org.livernode.segmentation;

import org.livernode.model.SliceModel;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One loaded network shared by the job and the segmentation on arrival: a loaded model is not thread-safe, and each
 * forward pass already uses every core. The lock is fair, so batches of the series being received and of the job
 * being finished take turns instead of one starving the other.
 */
public final class SharedSliceModel implements SliceModel {

    private final SliceModel model;
    private final ReentrantLock lock;
    private final BooleanSupplier closed;

    /** {@code closed} is asked under the lock: a network freed while a caller waited must not be run (native memory). */
    public SharedSliceModel(SliceModel model, ReentrantLock lock, BooleanSupplier closed) {
        this.model = model;
        this.lock = lock;
        this.closed = closed;
    }

    @Override
    public int inputSize() {
        return model.inputSize();
    }

    @Override
    public float[][] liverProbability(float[][] huSlices) {
        lock.lock();
        try {
            if (closed.getAsBoolean()) {
                throw new IllegalStateException("the model was closed: the node is stopping");
            }
            return model.liverProbability(huSlices);
        } finally {
            lock.unlock();
        }
    }
}
