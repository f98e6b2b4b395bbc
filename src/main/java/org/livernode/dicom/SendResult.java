package org.livernode.dicom;

import org.livernode.dicom.vocabulary.RemoteAe;
import java.nio.file.Path;
import java.util.List;

/** Outcome of {@link DicomSender#send}: one status per file, in the order given. */
public record SendResult(RemoteAe destination, List<FileStatus> files) {

    /** One file's outcome: delivered (C-STORE success or warning status) or not, and why not (null when delivered). */
    public record FileStatus(Path file, String sopInstanceUid, boolean delivered, String lastError) {
    }

    public SendResult {
        files = List.copyOf(files);
    }

    public boolean allDelivered() {
        return files.stream().allMatch(FileStatus::delivered);
    }

    public List<FileStatus> failed() {
        return files.stream().filter(f -> !f.delivered()).toList();
    }
}
