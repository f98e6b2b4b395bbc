package org.livernode.cli;

import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import org.livernode.dicom.DicomNode;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code livernode serve}: runs the DICOM node until stopped. */
@Command(name = "serve", description = "Run the DICOM node (C-ECHO, C-STORE SCP, REST API, segmentation worker).")
public class ServeCommand implements Callable<Integer> {

    @Inject
    DicomNode node;

    @Override
    public Integer call() {
        try {
            node.start();
        } catch (RuntimeException e) {
            System.err.println("livernode serve: " + e.getMessage());
            return 2;
        }
        Quarkus.waitForExit();
        node.stop();
        return 0;
    }
}
