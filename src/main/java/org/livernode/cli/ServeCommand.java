package org.livernode.cli;

import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import org.livernode.dicom.DicomNode;
import org.livernode.pipeline.SegmentationWorker;
import org.livernode.corrections.CorrectionMonitor;
import org.livernode.segmentation.LiverModel;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code livernode serve}: runs the DICOM node until stopped. */
@Command(name = "serve", description = "Run the DICOM node (C-ECHO, C-STORE SCP, REST API, segmentation worker).")
public class ServeCommand implements Callable<Integer> {

    @Inject
    DicomNode node;
    @Inject
    SegmentationWorker worker;
    @Inject
    CorrectionMonitor corrections;
    @Inject
    LiverModel liverModel;

    @Override
    public Integer call() {
        try {
            liverModel.warmUp();
            node.start();
            worker.start(SegmentationWorker.defaultNodeId(node.port()));
            corrections.start();
        } catch (RuntimeException e) {
            System.err.println("livernode serve: " + e.getMessage());
            return 2;
        }
        Quarkus.waitForExit();
        corrections.stop();
        worker.stop();
        node.stop();
        return 0;
    }
}
