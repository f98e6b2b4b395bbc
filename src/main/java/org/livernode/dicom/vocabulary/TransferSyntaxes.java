package org.livernode.dicom.vocabulary;

import java.util.Set;

/** Transfer Syntax UIDs (PS3.6 Annex A) and what the node needs to know of them. */
public final class TransferSyntaxes {
    public static final String IMPLICIT_VR_LE = "1.2.840.10008.1.2";
    public static final String EXPLICIT_VR_LE = "1.2.840.10008.1.2.1";
    public static final String DEFLATED_EXPLICIT_VR_LE = "1.2.840.10008.1.2.1.99";
    public static final String EXPLICIT_VR_BE = "1.2.840.10008.1.2.2";
    public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    public static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
    /** Retired (PS3.5 2006): JPEG spectral selection (processes 6 and 8); real archives still hold such files. */
    public static final String JPEG_SPECTRAL_SELECTION = "1.2.840.10008.1.2.4.53";
    /** Retired (PS3.5 2006): JPEG full progression (processes 10 and 12). */
    public static final String JPEG_FULL_PROGRESSION = "1.2.840.10008.1.2.4.55";
    public static final String JPEG_LOSSLESS_P14 = "1.2.840.10008.1.2.4.57";
    public static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
    public static final String JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
    public static final String JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81";
    public static final String JPEG2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
    public static final String JPEG2000 = "1.2.840.10008.1.2.4.91";
    public static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";

    /**
     * Pixel data the node decodes itself (PixelMed; JPEG lossless through pixelmed-imageio, JPEG 2000 through
     * jai-imageio-jpeg2000).
     */
    public static final Set<String> DECODED_IN_PROCESS = Set.of(IMPLICIT_VR_LE, EXPLICIT_VR_LE, DEFLATED_EXPLICIT_VR_LE,
            EXPLICIT_VR_BE, JPEG_LOSSLESS_P14, JPEG_LOSSLESS_SV1, JPEG2000_LOSSLESS, JPEG2000, RLE_LOSSLESS);

    /**
     * Pixel data no Java decoder on Maven Central or in Debian reads (DCT JPEG of 12 bits, JPEG-LS), decoded by dcmtk's
     * dcmdjpeg and dcmdjpls in a child process ({@code org.livernode.dicom.codec.DcmtkDecoder}).
     */
    public static final Set<String> DECODED_BY_DCMTK = Set.of(JPEG_BASELINE, JPEG_EXTENDED, JPEG_SPECTRAL_SELECTION,
            JPEG_FULL_PROGRESSION, JPEG_LS_LOSSLESS, JPEG_LS_NEAR_LOSSLESS);

    /** Transfer syntaxes that may lose information (PS3.5 8.2: JPEG lossy, JPEG-LS near-lossless, JPEG 2000). */
    private static final Set<String> LOSSY = Set.of(JPEG_BASELINE, JPEG_EXTENDED, JPEG_SPECTRAL_SELECTION,
            JPEG_FULL_PROGRESSION, JPEG_LS_NEAR_LOSSLESS, JPEG2000);

    private TransferSyntaxes() {
    }

    /** True when pixel data in this transfer syntax may have been compressed with loss. */
    public static boolean isLossy(String transferSyntaxUid) {
        return LOSSY.contains(transferSyntaxUid);
    }
}
