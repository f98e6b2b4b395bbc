package org.livernode.api.dicomweb;

import org.livernode.store.DiskFloor;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Writes an uploaded part to its file while the disk stays above the floor, looked at every {@link #CHECK_EVERY}
 * bytes; once below, it writes nothing more and drops the rest of the part, so the upload can still be read to its
 * next part and answered. The caller then deletes the file and refuses the part with {@link #refusal()}.
 */
final class FloorGuardedOutput extends FilterOutputStream {
    static final long CHECK_EVERY = 16L * 1024 * 1024;

    private final DiskFloor floor;
    private long sinceCheck;
    private String refusal;

    FloorGuardedOutput(OutputStream out, DiskFloor floor) {
        super(out);
        this.floor = floor;
    }

    /** Why the part was not written whole, or empty. */
    Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    @Override
    public void write(int b) throws IOException {
        if (admit(1)) {
            out.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (admit(len)) {
            out.write(b, off, len);
        }
    }

    private boolean admit(int len) {
        if (refusal != null) {
            return false;
        }
        sinceCheck += len;
        if (sinceCheck >= CHECK_EVERY) {
            sinceCheck = 0;
            refusal = floor.refusal(CHECK_EVERY).orElse(null);
        }
        return refusal == null;
    }
}
