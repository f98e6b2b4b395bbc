package org.livernode.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * The registry's active model as a running node sees it, re-read only when {@code registry.json} changed (its
 * file key, which a rename changes, its modification time or its size): one stat per job start.
 */
public final class RegistryWatch {

    /** The active model, and the log entry that made it active (null for the bundled model or an unknown cause). */
    public record Seen(ModelRegistry.Active active, RegistryFile.LogEntry why) {
    }

    private final ModelRegistry registry;
    private List<Object> stamp;
    private Seen seen;

    public RegistryWatch(ModelRegistry registry) {
        this.registry = registry;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** The active model now; reads the file again only when it changed since the last call. */
    public synchronized Seen active() throws IOException {
        List<Object> now = stamp();
        if (seen == null || !now.equals(stamp)) {
            RegistryFile file = registry.read();
            ModelRegistry.Active active = registry.active(file);
            RegistryFile.LogEntry why = null;
            for (RegistryFile.LogEntry e : file.log()) {
                if (!e.action().equals("registered") && !e.action().equals("refused")) {
                    why = e;
                }
            }
            seen = new Seen(active, why);
            stamp = now;
        }
        return seen;
    }

    private List<Object> stamp() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(registry.file(), BasicFileAttributes.class);
            Object key = a.fileKey();
            return List.of(key == null ? "" : key, a.lastModifiedTime().toMillis(), a.size());
        } catch (NoSuchFileException e) {
            return List.of("absent");
        }
    }
}
