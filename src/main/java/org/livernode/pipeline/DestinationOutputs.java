package org.livernode.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.livernode.config.LivernodeConfig;
import org.livernode.config.LivernodeConfig.Output;
import org.livernode.dicom.vocabulary.RemoteAe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one rule of which outputs go where: a destination gets what {@code livernode.outputs-for.<its AE title>}
 * lists, else {@code livernode.outputs}; a job writes every output some destination gets, so the first delivery
 * and a resend (to the same or another destination) send exactly what that destination is configured to get.
 */
@ApplicationScoped
public class DestinationOutputs {

    @Inject
    LivernodeConfig config;

    /** What a job writes and stores: the SEG always (the viewer shows it), and what any destination gets. */
    public Set<Output> written() {
        Set<Output> all = EnumSet.of(Output.SEG);
        all.addAll(config.outputs());
        config.outputsFor().values().forEach(all::addAll);
        return all;
    }

    /** What {@code destination} gets: its own entry in {@code livernode.outputs-for} (AE title ignoring case), else the default. */
    public Set<Output> sentTo(RemoteAe destination) {
        String aeTitle = destination.aeTitle().trim();
        for (Map.Entry<String, List<Output>> e : config.outputsFor().entrySet()) {
            if (e.getKey().trim().equalsIgnoreCase(aeTitle)) {
                return of(e.getValue());
            }
        }
        return of(config.outputs());
    }

    private static Set<Output> of(List<Output> outputs) {
        Set<Output> set = EnumSet.noneOf(Output.class); // EnumSet.copyOf refuses an empty list
        set.addAll(outputs);
        return set;
    }

    /** The files of {@code stored} (a job's files by output, in the order to send) that {@code destination} gets. */
    public List<Path> filesFor(RemoteAe destination, Map<Output, List<Path>> stored) {
        Set<Output> wanted = sentTo(destination);
        List<Path> files = new ArrayList<>();
        for (Output o : Output.values()) {
            if (wanted.contains(o)) {
                files.addAll(stored.getOrDefault(o, List.of()));
            }
        }
        return files;
    }
}
