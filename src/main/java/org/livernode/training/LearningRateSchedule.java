package org.livernode.training;

import ai.djl.training.tracker.Tracker;

/**
 * Learning rate per update: linear warm-up, then constant, cosine decay to finalFraction*base, or poly decay
 * (1 - t)^0.9. {@code offset} continues the schedule when training resumes (DJL restarts its update count).
 */
public final class LearningRateSchedule implements Tracker {

    public enum Kind { CONSTANT, COSINE, POLY }

    private final Kind kind;
    private final float base;
    private final int totalUpdates;
    private final int warmupUpdates;
    private final float finalFraction;
    private volatile int offset;

    public LearningRateSchedule(Kind kind, float base, int totalUpdates, int warmupUpdates, float finalFraction) {
        if (!(base > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, found " + base);
        }
        if (totalUpdates < 1 || warmupUpdates < 0 || warmupUpdates >= totalUpdates) {
            throw new IllegalArgumentException("need 0 <= warmupUpdates < totalUpdates, found " + warmupUpdates + " and " + totalUpdates);
        }
        this.kind = kind;
        this.base = base;
        this.totalUpdates = totalUpdates;
        this.warmupUpdates = warmupUpdates;
        this.finalFraction = finalFraction;
    }

    public void setOffset(int offset) {
        this.offset = offset;
    }

    @Override
    public float getNewValue(int numUpdate) {
        int u = Math.max(0, numUpdate - 1) + offset;
        if (u < warmupUpdates) {
            return base * (u + 1) / (warmupUpdates + 1);
        }
        double t = Math.min(1.0, (double) (u - warmupUpdates) / Math.max(1, totalUpdates - warmupUpdates));
        double floor = base * finalFraction;
        return (float) switch (kind) {
            case CONSTANT -> base;
            case COSINE -> floor + (base - floor) * 0.5 * (1 + Math.cos(Math.PI * t));
            case POLY -> floor + (base - floor) * Math.pow(1 - t, 0.9);
        };
    }
}
