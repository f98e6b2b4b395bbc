package org.livernode.cli;

import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import org.hibernate.Session;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code livernode serve}: runs the DICOM node until stopped. */
@Command(name = "serve", description = "Run the DICOM node (C-ECHO, C-STORE SCP, REST API, segmentation worker).")
public class ServeCommand implements Callable<Integer> {

    @Inject
    Session session;

    @Override
    public Integer call() {
        Long studies = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> session.createQuery("select count(s) from Study s", Long.class).getSingleResult());
        System.out.println("livernode: " + studies + " studies indexed");
        Quarkus.waitForExit();
        return 0;
    }
}
