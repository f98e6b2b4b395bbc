package org.livernode.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.livernode.config.LivernodeConfig;
import org.livernode.store.Instance;
import org.livernode.store.InstanceStore;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stored SR and overlay files of a finished job, found again from the job alone: their SOP Instance UIDs are
 * derived from it ({@link OutputUids}), so a resend sends exactly the objects the job wrote (and the receiver
 * replaces what it had).
 */
@ApplicationScoped
public class StoredOutputs {

    @Inject
    LivernodeConfig config;
    @Inject
    JobQueue queue;
    @Inject
    InstanceStore store;

    /** The job's stored SR and overlay images that {@code livernode.outputs} sends, in that order. */
    public List<Path> derivedFiles(Job job) {
        List<Path> files = new ArrayList<>();
        if (config.outputs().contains(LivernodeConfig.Output.SR)) {
            file(OutputUids.of(OutputUids.Kind.SR, job.seriesUid, job.id, job.queuedAt).sopInstanceUid()).ifPresent(files::add);
        }
        if (config.outputs().contains(LivernodeConfig.Output.OVERLAY)) {
            OutputUids overlay = OutputUids.of(OutputUids.Kind.OVERLAY, job.seriesUid, job.id, job.queuedAt);
            for (Instance source : queue.instancesOf(job.seriesUid)) {
                file(overlay.instanceFor(source.sopInstanceUid)).ifPresent(files::add);
            }
        }
        return files;
    }

    private Optional<Path> file(String sopInstanceUid) {
        return queue.instance(sopInstanceUid).filter(i -> i.path != null).map(i -> store.resolve(i.path))
                .filter(Files::isRegularFile);
    }
}
