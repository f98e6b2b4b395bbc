package org.livernode.dicom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.livernode.store.InstanceIndex;
import org.livernode.store.InstanceStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * At start, before the port opens: every file under {@code studies/} the index lacks (a crash between the
 * rename and the commit) goes through the same checks as an upload and is indexed, or moved to {@code rejected/}
 * when it is not a whole, valid instance. After it, what is on disk and what the index says agree.
 */
@ApplicationScoped
public class StoreReconciliation {
    private static final Logger LOG = Logger.getLogger(StoreReconciliation.class);

    @Inject
    InstanceStore store;
    @Inject
    InstanceIndex index;
    @Inject
    InstanceReceiver receiver;

    /** Returns how many files were indexed and how many moved to rejected/. */
    public Counts run() {
        Path studies = store.dataDir().resolve("studies");
        if (!Files.isDirectory(studies)) {
            return new Counts(0, 0);
        }
        Set<String> indexed = index.indexedPaths();
        List<Path> missing;
        try (Stream<Path> files = Files.walk(studies)) {
            missing = files.filter(p -> p.getFileName().toString().endsWith(".dcm") && Files.isRegularFile(p))
                    .filter(p -> !indexed.contains(store.relative(p))).toList();
        } catch (IOException e) {
            LOG.errorf(e, "cannot walk %s to reconcile it with the index", studies);
            return new Counts(0, 0);
        }
        int added = 0;
        int rejected = 0;
        for (Path file : missing) {
            StoreOutcome outcome = receiver.reindex(file);
            if (outcome.status().isSuccess()) {
                added++;
            } else {
                rejected++;
            }
        }
        if (!missing.isEmpty()) {
            LOG.infof("reconciled studies/ with the index: %d unindexed file(s) indexed, %d moved to rejected/",
                    added, rejected);
        }
        return new Counts(added, rejected);
    }

    public record Counts(int indexed, int rejected) {
    }
}
