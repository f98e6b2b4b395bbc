package org.livernode.model;

/** A network that turns HU slices at its input size into liver probabilities: a loaded model, or one in training. */
public interface SliceModel {

    /** Side of the square slices the network takes. */
    int inputSize();

    /** @param huSlices slices of inputSize x inputSize HU, row-major; returns the liver probability per pixel */
    float[][] liverProbability(float[][] huSlices);
}
