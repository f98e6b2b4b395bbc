package org.livernode.dicom.codec;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import org.livernode.dicom.vocabulary.TransferSyntaxes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one place where stored pixel data becomes native values: in process for the transfer syntaxes PixelMed and
 * its ImageIO plug-ins read ({@link TransferSyntaxes#DECODED_IN_PROCESS}), through {@link DcmtkDecoder} for the
 * others ({@link TransferSyntaxes#DECODED_BY_DCMTK}). The header always comes from the stored file itself, so the
 * transfer syntax and lossy-compression facts a SEG copies are the source's, not the decoder's.
 */
public final class PixelDecoding {

    private PixelDecoding() {
    }

    /** True when the node can decode pixel data stored in this transfer syntax on this machine. */
    public static boolean decodable(String transferSyntaxUid) {
        return TransferSyntaxes.DECODED_IN_PROCESS.contains(transferSyntaxUid)
                || (TransferSyntaxes.DECODED_BY_DCMTK.contains(transferSyntaxUid) && DcmtkDecoder.available(transferSyntaxUid));
    }

    /** The transfer syntaxes {@link #decodable} accepts here, sorted, for messages. */
    public static Set<String> decodableHere() {
        Set<String> all = new TreeSet<>(TransferSyntaxes.DECODED_IN_PROCESS);
        TransferSyntaxes.DECODED_BY_DCMTK.stream().filter(DcmtkDecoder::available).forEach(all::add);
        return all;
    }

    /** Why pixel data in {@code transferSyntaxUid} cannot be decoded here, in the words of what a user can change. */
    public static String whyNotDecodable(String transferSyntaxUid) {
        if (TransferSyntaxes.DECODED_BY_DCMTK.contains(transferSyntaxUid)) {
            String tool = DcmtkDecoder.toolName(transferSyntaxUid);
            return "Transfer Syntax UID is '" + transferSyntaxUid + "', which the node decodes with dcmtk's " + tool
                    + ", and " + tool + " is not installed (Debian package dcmtk)";
        }
        return "Transfer Syntax UID is '" + transferSyntaxUid + "', accepted are " + decodableHere();
    }

    /**
     * Reads the whole data set of {@code file}, stored in {@code transferSyntaxUid}, with its Pixel Data decoded to
     * native values (16-bit words for 16-bit images).
     */
    public static AttributeList readDecoded(Path file, String transferSyntaxUid) throws IOException, DicomException {
        if (!decodable(transferSyntaxUid)) {
            throw new DicomException("cannot decode the pixel data of " + file + ": " + whyNotDecodable(transferSyntaxUid));
        }
        AttributeList list = new AttributeList();
        if (TransferSyntaxes.DECODED_IN_PROCESS.contains(transferSyntaxUid)) {
            list.read(file.toFile());
            return list;
        }
        list.read(file.toString(), TagFromName.PixelData);
        Path decoded = DcmtkDecoder.toNative(file, transferSyntaxUid);
        try {
            AttributeList pixels = new AttributeList();
            pixels.read(decoded.toFile());
            if (pixels.get(TagFromName.PixelData) == null) {
                throw new DicomException(DcmtkDecoder.toolName(transferSyntaxUid) + " wrote no Pixel Data for " + file);
            }
            list.put(pixels.get(TagFromName.PixelData));
            return list;
        } finally {
            Files.deleteIfExists(decoded);
        }
    }
}
