package org.livernode.segmentation;

import org.livernode.model.SliceModel;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One loaded network shared by the job and the segmentation on arrival: a loaded model is not thread-safe, and each
 * forward pass already uses every core. The lock is fair, so batches of the series being received and of the job
 * being finished take turns instead of one starving the other.
 */
public final class SharedSliceModel implements SliceModel {

    private final SliceModel model;
    private final ReentrantLock lock;

    public SharedSliceModel(SliceModel model, ReentrantLock lock) {
        this.model = model;
        this.lock = lock;
    }

    @Override
    public int inputSize() {
        return model.inputSize();
    }

    @Override
    public float[][] liverProbability(float[][] huSlices) {
        lock.lock();
        try {
            return model.liverProbability(huSlices);
        } finally {
            lock.unlock();
        }
    }
}
