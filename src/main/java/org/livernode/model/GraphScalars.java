package org.livernode.model;

import ai.djl.ndarray.NDArray;

/**
 * Scalars for arithmetic that autograd differentiates. DJL's {@code mul(Number)}, {@code div(Number)} or
 * {@code maximum(Number)} wrap the number in a tensor over a Java direct buffer (libtorch's from_blob: no copy) and
 * close it right after the op, while autograd keeps that tensor for the backward pass: backward then read memory the
 * GC may have freed and jemalloc handed out again, so gradients differed from run to run from the first garbage
 * collection on and, now and then, were NaN. A scalar made here is attached to the manager of the array it goes with
 * (a training step's, a batch's), so it lives as long as the graph that uses it.
 */
public final class GraphScalars {

    private GraphScalars() {
    }

    /** A float32 scalar tensor on like's manager. */
    public static NDArray of(NDArray like, float value) {
        return like.getManager().create(value);
    }
}
