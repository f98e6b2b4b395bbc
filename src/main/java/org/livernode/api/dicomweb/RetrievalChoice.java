package org.livernode.api.dicomweb;

import org.livernode.dicom.vocabulary.TransferSyntaxes;
import com.pixelmed.dicom.TransferSyntax;

import java.util.List;

/**
 * What WADO-RS sends for an Accept header (PS3.18 8.7.3): the stored encoding or native uncompressed
 * little endian, and the media type of each part. A bare {@code application/dicom} or
 * {@code application/octet-stream} (what dicomweb-client's "singlepart" option sends) asks for one part
 * without multipart framing. {@code null} from the factories means nothing offered is acceptable (406).
 */
record RetrievalChoice(boolean asStored, String partType, String transferSyntaxUid, boolean singlePart) {

    /** Part 10 instances: the stored file, for no transfer-syntax, {@code *} or the stored one. */
    static RetrievalChoice forInstances(String accept, String storedTs) {
        for (MediaRange r : MediaRange.accept(accept)) {
            boolean single = r.type().equals(DicomWeb.DICOM);
            if (!single && !r.covers(DicomWeb.MULTIPART_RELATED)) {
                continue;
            }
            String type = r.type().equals(DicomWeb.MULTIPART_RELATED) ? r.parameter("type") : null;
            if (type != null && !type.equalsIgnoreCase(DicomWeb.DICOM)) {
                continue;
            }
            String ts = r.parameter("transfer-syntax");
            if (ts == null || "*".equals(ts) || ts.equals(storedTs)) {
                return new RetrievalChoice(true, DicomWeb.DICOM, storedTs, single);
            }
        }
        return null;
    }

    /** Frames and bulk data: native little endian by default, the stored encoding for {@code *} or its UID. */
    static RetrievalChoice forPixels(String accept, String storedTs) {
        boolean compressed = TransferSyntax.isEncapsulated(storedTs);
        for (MediaRange r : MediaRange.accept(accept)) {
            boolean single = r.type().equals(DicomWeb.OCTET_STREAM);
            if (!single && !r.covers(DicomWeb.MULTIPART_RELATED)) {
                continue;
            }
            String type = r.type().equals(DicomWeb.MULTIPART_RELATED) && r.parameter("type") != null
                    ? r.parameter("type").toLowerCase(java.util.Locale.ROOT) : DicomWeb.OCTET_STREAM;
            String ts = r.parameter("transfer-syntax");
            if (type.equals(DicomWeb.OCTET_STREAM)) {
                if (ts == null || ts.equals(TransferSyntaxes.EXPLICIT_VR_LE) || (!compressed && ("*".equals(ts) || ts.equals(storedTs)))) {
                    return new RetrievalChoice(false, DicomWeb.OCTET_STREAM, TransferSyntaxes.EXPLICIT_VR_LE, single);
                }
                if ("*".equals(ts) || ts.equals(storedTs)) {
                    return new RetrievalChoice(true, DicomWeb.OCTET_STREAM, storedTs, single);
                }
            } else if (compressed && imageTypesOf(storedTs).contains(type) && (ts == null || "*".equals(ts) || ts.equals(storedTs))) {
                return new RetrievalChoice(true, type, storedTs, false);
            }
        }
        return null;
    }

    /** The part's Content-Type, naming the transfer syntax so a client knows how to decode it. */
    String partContentType() {
        return partType + "; transfer-syntax=" + transferSyntaxUid;
    }

    private static List<String> imageTypesOf(String ts) {
        return switch (ts) {
            case TransferSyntaxes.JPEG2000_LOSSLESS, TransferSyntaxes.JPEG2000 -> List.of("image/jp2");
            case TransferSyntaxes.JPEG_BASELINE, TransferSyntaxes.JPEG_EXTENDED, TransferSyntaxes.JPEG_LOSSLESS_P14,
                 TransferSyntaxes.JPEG_LOSSLESS_SV1 -> List.of("image/jpeg");
            case TransferSyntaxes.RLE_LOSSLESS -> List.of("image/dicom-rle");
            default -> List.of();
        };
    }
}
