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
    public static final String JPEG_LOSSLESS_P14 = "1.2.840.10008.1.2.4.57";
    public static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
    public static final String JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
    public static final String JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81";
    public static final String JPEG2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
    public static final String JPEG2000 = "1.2.840.10008.1.2.4.91";
    public static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";

    /** Transfer syntaxes that may lose information (PS3.5 8.2: JPEG lossy, JPEG-LS near-lossless, JPEG 2000). */
    private static final Set<String> LOSSY = Set.of(JPEG_BASELINE, JPEG_EXTENDED, JPEG_LS_NEAR_LOSSLESS, JPEG2000);

    private TransferSyntaxes() {
    }

    /** True when pixel data in this transfer syntax may have been compressed with loss. */
    public static boolean isLossy(String transferSyntaxUid) {
        return LOSSY.contains(transferSyntaxUid);
    }
}
