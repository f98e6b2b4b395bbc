package org.livernode.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.livernode.config.LivernodeConfig;

import java.util.Optional;

/**
 * The one rule for "the disk is full enough": below {@code livernode.dicom.min-free-disk-mb} of free space on the
 * data directory the node writes nothing more that it was sent (C-STORE, STOW-RS, refused files kept in rejected/).
 */
@ApplicationScoped
public class DiskFloor {

    @Inject
    LivernodeConfig config;
    @Inject
    InstanceStore store;

    /** Why {@code bytes} more may not be written, or empty when the free space stays above the floor. */
    public Optional<String> refusal(long bytes) {
        long floor = config.dicom().minFreeDiskMb() * 1024L * 1024L;
        long free = store.freeBytes();
        if (free - bytes >= floor) {
            return Optional.empty();
        }
        return Optional.of("free disk " + free / (1024 * 1024) + " MiB is below the floor of "
                + config.dicom().minFreeDiskMb() + " MiB (livernode.dicom.min-free-disk-mb)");
    }
}
