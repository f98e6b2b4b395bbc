package org.livernode.store;

import java.nio.file.Path;

/** A CDI event: a received instance is stored and indexed ({@link Archive}); observers must return at once. */
public record InstanceArchived(String seriesUid, String sopClassUid, Path file) {
}
