package org.livernode.dicom.attributes;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import org.livernode.dicom.vocabulary.TransferSyntaxes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a data set the node made as a DICOM file, whole or not at all. */
public final class DicomFiles {

    private DicomFiles() {
    }

    /**
     * Adds File Meta Information and writes {@code dataSet} in Explicit VR Little Endian to {@code file} through a
     * {@code .part} beside it, moved into place at the end: a reader never sees half a file, a crash leaves none.
     *
     * @param what names the object in the error message, e.g. "SEG 1.2.3"
     */
    public static void writeAtomically(AttributeList dataSet, Path file, String sourceApplication, String what)
            throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try {
            FileMetaInformation.addFileMetaInformation(dataSet, TransferSyntaxes.EXPLICIT_VR_LE, sourceApplication);
            dataSet.write(tmp.toFile(), TransferSyntaxes.EXPLICIT_VR_LE, true, true);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (DicomException e) {
            throw new IOException(what + ": cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
