package org.livernode.dicom;

import org.livernode.dicom.vocabulary.TransferSyntaxes;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One C-STORE being received: the data set goes to a temporary file in {@code incoming/} behind a File
 * Meta Information header; {@link #finish()} says whether it arrived whole, and the caller then has it admitted
 * (checked, then archived) by {@link InstanceReceiver#admit}. It knows nothing of its creator. When the request is
 * refused up front (disk floor, bad command), the data set is read off the wire and dropped, and the
 * refusal is the answer.
 */
final class InstanceReception {
    final AssociationContext association;
    final int messageId;
    final String sopClassUid;
    final String sopInstanceUid;
    final String transferSyntaxUid;
    private final DimseStatus refusal;
    private final Path temp;
    private final OutputStream out;
    private boolean dataComplete;
    private long bytes;
    private boolean finished;
    private IOException writeFailure;

    private InstanceReception(AssociationContext association, int messageId, String sopClassUid,
                              String sopInstanceUid, String transferSyntaxUid, DimseStatus refusal, Path temp,
                              OutputStream out) {
        this.association = association;
        this.messageId = messageId;
        this.sopClassUid = sopClassUid;
        this.sopInstanceUid = sopInstanceUid;
        this.transferSyntaxUid = transferSyntaxUid;
        this.refusal = refusal;
        this.temp = temp;
        this.out = out;
    }

    static InstanceReception refused(AssociationContext association, int messageId, String sopClassUid,
                                     String sopInstanceUid, String transferSyntaxUid, DimseStatus refusal) {
        return new InstanceReception(association, messageId, sopClassUid, sopInstanceUid, transferSyntaxUid,
                refusal, null, null);
    }

    static InstanceReception toFile(AssociationContext association, int messageId, String sopClassUid,
                                    String sopInstanceUid, String transferSyntaxUid, Path incomingDir) throws IOException {
        Path temp = Files.createTempFile(incomingDir, "assoc" + association.number() + "-", ".part");
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
        try {
            DicomOutputStream meta = new DicomOutputStream(out, TransferSyntaxes.EXPLICIT_VR_LE, null);
            new FileMetaInformation(sopClassUid, sopInstanceUid, transferSyntaxUid, association.callingAeTitle())
                    .getAttributeList().write(meta);
            meta.flush();
        } catch (DicomException | IOException e) {
            out.close();
            Files.deleteIfExists(temp);
            throw new IOException("cannot write the File Meta Information of " + sopInstanceUid + ": " + e.getMessage(), e);
        }
        return new InstanceReception(association, messageId, sopClassUid, sopInstanceUid, transferSyntaxUid,
                null, temp, out);
    }

    /** A failed write (disk full) does not break the association: the rest is read off and the answer is A700. */
    void write(byte[] value) {
        bytes += value.length;
        if (out != null && writeFailure == null) {
            try {
                out.write(value);
            } catch (IOException e) {
                writeFailure = e;
                discard();
            }
        }
    }

    void dataComplete() {
        dataComplete = true;
        if (out != null && writeFailure == null) {
            try {
                out.close();
            } catch (IOException e) {
                writeFailure = e;
                discard();
            }
        }
    }

    long bytes() {
        return bytes;
    }

    Path file() {
        return temp;
    }

    DimseStatus refusal() {
        return refusal;
    }

    /**
     * Ends the reception: the refusal, or why the data set did not arrive whole and written, or null when the file
     * holds the whole data set and admission ({@link InstanceReceiver#admit}) is next.
     */
    DimseStatus finish() {
        finished = true;
        if (refusal != null) {
            return refusal;
        }
        if (writeFailure != null) {
            return DimseStatus.failure(DimseStatus.OUT_OF_RESOURCES, "cannot write the instance: " + writeFailure.getMessage());
        }
        if (!dataComplete) {
            discard();
            return DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND, "the data set was not received completely");
        }
        return null;
    }

    /** Drops what was received (association aborted or broken before the last fragment). */
    void discard() {
        if (temp == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // the file is deleted anyway
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a leftover .part in incoming/ is never indexed and is swept at the next start
        }
    }

    boolean isFinished() {
        return finished;
    }
}
