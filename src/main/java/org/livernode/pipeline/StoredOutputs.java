package org.livernode.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.livernode.config.LivernodeConfig.Output;
import org.livernode.store.Instance;
import org.livernode.store.InstanceStore;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored SR and overlay files of a finished job, found again from the job alone: their SOP Instance UIDs are
 * derived from it ({@link OutputUids}), so a resend sends exactly the objects the job wrote (and the receiver
 * replaces what it had).
 */
@ApplicationScoped
public class StoredOutputs {

    @Inject
    JobQueue queue;
    @Inject
    InstanceStore store;

    /** The job's stored SR and overlay images, by output (what a destination gets is DestinationOutputs' rule). */
    public Map<Output, List<Path>> derivedFiles(Job job) {
        Map<Output, List<Path>> files = new EnumMap<>(Output.class);
        file(OutputUids.of(OutputUids.Kind.SR, job.seriesUid, job.id, job.queuedAt).sopInstanceUid())
                .ifPresent(sr -> files.put(Output.SR, List.of(sr)));
        OutputUids overlay = OutputUids.of(OutputUids.Kind.OVERLAY, job.seriesUid, job.id, job.queuedAt);
        List<Path> images = new ArrayList<>();
        for (Instance source : queue.instancesOf(job.seriesUid)) {
            file(overlay.instanceFor(source.sopInstanceUid)).ifPresent(images::add);
        }
        if (!images.isEmpty()) {
            files.put(Output.OVERLAY, images);
        }
        return files;
    }

    private Optional<Path> file(String sopInstanceUid) {
        return queue.instance(sopInstanceUid).filter(i -> i.path != null).map(i -> store.resolve(i.path))
                .filter(Files::isRegularFile);
    }
}
