package org.livernode.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code <data-dir>/models/registry.json} holds: the active version (null: the model
 * {@code livernode.inference.model-dir} names, the bundled one), the versions made active in turn (the last is the
 * active one; a rollback goes back one), the known versions and the append-only log of what was done to them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegistryFile(String active, List<String> activeHistory, List<Version> versions, List<LogEntry> log) {

    public static final RegistryFile EMPTY = new RegistryFile(null, List.of(), List.of(), List.of());

    public RegistryFile {
        activeHistory = activeHistory == null ? List.of() : List.copyOf(activeHistory);
        versions = versions == null ? List.of() : List.copyOf(versions);
        log = log == null ? List.of() : List.copyOf(log);
    }

    /**
     * A registered model: its directory under the registry's folder (a copy of a training run's output, whose card
     * names this version) and the SHA-256 of its weights, checked when it was copied in.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Version(String version, String name, String directory, String weightsSha256, String registeredAt,
                          String registeredBy, String copiedFrom) {
    }

    /**
     * One thing done: {@code registered}, {@code promoted}, {@code refused} (the gate said no) or
     * {@code rolled-back}; who and when, the version it concerned and the one active before, and for a promotion
     * or refusal the gate's figures, margin and reason.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LogEntry(String at, String by, String action, String version, String previous, Double margin,
                           List<GateReport.SetFigures> figures, String reason, List<String> flags) {
    }

    public Version version(String name) {
        return versions.stream().filter(v -> v.version().equals(name)).findFirst().orElse(null);
    }

    RegistryFile with(String newActive, List<String> newHistory, Version added, LogEntry entry) {
        List<Version> v = new ArrayList<>(versions);
        if (added != null) {
            v.add(added);
        }
        List<LogEntry> l = new ArrayList<>(log);
        l.add(entry);
        return new RegistryFile(newActive, newHistory, v, l);
    }
}
