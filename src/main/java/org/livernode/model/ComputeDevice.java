package org.livernode.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Where DJL runs the network: the first GPU when the PyTorch engine sees one (the `gpu` build), else the CPU. */
public final class ComputeDevice {

    private ComputeDevice() {
    }

    public static Device preferred() {
        return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    /** For logs: "cpu" or "gpu(0)", and why the CPU when there is no GPU. */
    public static String describe(Device device) {
        return device.isGpu() ? device.toString() : "cpu (DJL's PyTorch engine sees no GPU)";
    }
}
