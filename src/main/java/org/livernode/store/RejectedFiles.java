package org.livernode.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.livernode.config.LivernodeConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What is kept of refused data in {@code DATA/rejected/}, for a human to look at, within bounds
 * ({@code livernode.rejected.max-files}, {@code max-mb}, {@code max-age}): the oldest files go first, a file larger
 * than the whole budget is not kept, and nothing is kept below the disk floor. Refusals must never fill the disk
 * (2000 junk STOW parts once left 2000 files, one 2 GiB junk request a 2 GiB file).
 */
@ApplicationScoped
public class RejectedFiles {

    private static final Logger LOG = Logger.getLogger(RejectedFiles.class);

    @Inject
    LivernodeConfig config;
    @Inject
    InstanceStore store;
    @Inject
    DiskFloor floor;

    /**
     * Moves refused {@code file} into rejected/ as {@code name}, or deletes it when it may not be kept; then drops the
     * oldest kept files beyond the bounds. Returns where it is kept, or empty when it was deleted.
     */
    public synchronized Optional<Path> keep(Path file, String name, String log) {
        try {
            long size = Files.size(file);
            long budget = config.rejected().maxMb() * 1024L * 1024L;
            Optional<String> notKept = size > budget
                    ? Optional.of("it is larger (" + size + " bytes) than livernode.rejected.max-mb=" + config.rejected().maxMb())
                    : floor.refusal(0);
            if (notKept.isPresent()) {
                Files.deleteIfExists(file);
                LOG.warnf("%s: refused file not kept in rejected/: %s", log, notKept.get());
                return Optional.empty();
            }
            Path kept = store.rejectedDir().resolve(name);
            Files.move(file, kept, StandardCopyOption.REPLACE_EXISTING);
            prune();
            return Files.exists(kept) ? Optional.of(kept) : Optional.empty();
        } catch (IOException e) {
            LOG.errorf(e, "%s: cannot keep refused file %s in rejected/", log, file);
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the incoming/ sweep at the next start removes it
            }
            return Optional.empty();
        }
    }

    /** Removes kept files older than max-age, then the oldest beyond max-files and max-mb; returns how many. */
    public synchronized int prune() throws IOException {
        LivernodeConfig.Rejected bounds = config.rejected();
        Instant oldest = Instant.now().minus(bounds.maxAge());
        List<Kept> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(store.rejectedDir())) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.add(new Kept(p, Files.getLastModifiedTime(p), Files.size(p)));
            }
        }
        files.sort(Comparator.comparing(Kept::modified).reversed()); // newest first: kept first
        long budget = bounds.maxMb() * 1024L * 1024L;
        long total = 0;
        int removed = 0;
        for (int i = 0; i < files.size(); i++) {
            Kept k = files.get(i);
            total += k.size();
            if (i >= bounds.maxFiles() || total > budget || k.modified().toInstant().isBefore(oldest)) {
                Files.deleteIfExists(k.path());
                removed++;
            }
        }
        if (removed > 0) {
            LOG.infof("rejected/: removed %d oldest refused file(s) beyond livernode.rejected.max-files=%d, max-mb=%d, "
                    + "max-age=%s", removed, bounds.maxFiles(), bounds.maxMb(), bounds.maxAge());
        }
        return removed;
    }

    private record Kept(Path path, FileTime modified, long size) {
    }
}
