package org.livernode.store;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One folder per process under {@code incoming/}, with a lock file the process holds until it exits (the
 * operating system lets go of the lock when the process dies, also on kill -9). A folder whose lock can be taken
 * belongs to nobody alive: what is in it is half-received and is removed.
 */
final class IncomingFolders {
    private static final Logger LOG = Logger.getLogger(IncomingFolders.class);
    private static final String LOCK = ".lock";
    private static final Duration LOOSE_FILE_AGE = Duration.ofHours(1);
    private static final Map<Path, Path> OWN = new ConcurrentHashMap<>();
    /** Held for the life of the process; a lock is released when its channel is garbage collected. */
    private static final Map<Path, FileChannel> HELD = new ConcurrentHashMap<>();

    private IncomingFolders() {
    }

    static Path ownFolder(Path incoming) {
        return OWN.computeIfAbsent(incoming, in -> {
            Path folder = in.resolve("p" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
            try {
                Files.createDirectories(folder);
                FileChannel channel = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                if (channel.tryLock() == null) {
                    throw new IOException("cannot lock " + folder.resolve(LOCK));
                }
                HELD.put(folder, channel);
                return folder;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create this process's folder in " + in, e);
            }
        });
    }

    static int sweep(Path incoming) {
        int removed = 0;
        Instant old = Instant.now().minus(LOOSE_FILE_AGE);
        try (Stream<Path> entries = Files.list(incoming)) {
            for (Path entry : entries.toList()) {
                if (HELD.containsKey(entry)) {
                    continue;
                }
                if (Files.isDirectory(entry)) {
                    removed += sweepFolder(entry);
                } else if (modifiedBefore(entry, old)) {
                    Files.deleteIfExists(entry);
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot sweep %s: %s", incoming, e.getMessage());
        }
        return removed;
    }

    /** Removes a dead process's folder; a live one (lock held elsewhere) is left alone. */
    private static int sweepFolder(Path folder) throws IOException {
        Path lockFile = folder.resolve(LOCK);
        if (Files.exists(lockFile)) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    return 0;
                }
                lock.release();
            } catch (OverlappingFileLockException ownedInThisJvm) {
                return 0;
            }
        }
        int removed = 0;
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().equals(LOCK)) {
                    LOG.infof("removed %s, half received by a process that stopped", incoming(folder).relativize(p));
                    removed++;
                }
                Files.deleteIfExists(p);
            }
        }
        return removed;
    }

    private static Path incoming(Path folder) {
        return folder.getParent();
    }

    private static boolean modifiedBefore(Path p, Instant t) {
        try {
            return Files.getLastModifiedTime(p).toInstant().isBefore(t);
        } catch (IOException e) {
            return false;
        }
    }
}
