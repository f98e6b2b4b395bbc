package org.livernode.dicom;

import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which presentation contexts the node accepts: CT Image Storage, Enhanced CT Image Storage and
 * Segmentation Storage in uncompressed little endian, JPEG Lossless (Process 14 and SV1), JPEG 2000
 * (lossless and lossy) and RLE; Verification in uncompressed little endian. Everything else is refused at
 * negotiation: "abstract syntax not supported" (3) or "transfer syntaxes not supported" (4).
 */
public final class StoragePresentationContextPolicy implements PresentationContextSelectionPolicy {
    public static final String VERIFICATION = "1.2.840.10008.1.1";
    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    public static final String ENHANCED_CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2.1";
    public static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";

    public static final String IMPLICIT_VR_LE = "1.2.840.10008.1.2";
    public static final String EXPLICIT_VR_LE = "1.2.840.10008.1.2.1";
    public static final String JPEG_LOSSLESS_P14 = "1.2.840.10008.1.2.4.57";
    public static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
    public static final String JPEG2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
    public static final String JPEG2000 = "1.2.840.10008.1.2.4.91";
    public static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";

    /** Storage transfer syntaxes in the order we prefer them when an SCU offers several in one context. */
    public static final List<String> STORAGE_TRANSFER_SYNTAXES = List.of(EXPLICIT_VR_LE, IMPLICIT_VR_LE,
            JPEG_LOSSLESS_SV1, JPEG_LOSSLESS_P14, JPEG2000_LOSSLESS, RLE_LOSSLESS, JPEG2000);
    private static final List<String> UNCOMPRESSED = List.of(EXPLICIT_VR_LE, IMPLICIT_VR_LE);

    private static final Map<String, List<String>> ACCEPTED = new LinkedHashMap<>();

    static {
        ACCEPTED.put(VERIFICATION, UNCOMPRESSED);
        ACCEPTED.put(CT_IMAGE_STORAGE, STORAGE_TRANSFER_SYNTAXES);
        ACCEPTED.put(ENHANCED_CT_IMAGE_STORAGE, STORAGE_TRANSFER_SYNTAXES);
        ACCEPTED.put(SEGMENTATION_STORAGE, STORAGE_TRANSFER_SYNTAXES);
    }

    public static Set<String> acceptedSopClasses() {
        return ACCEPTED.keySet();
    }

    public static boolean accepts(String sopClassUid, String transferSyntaxUid) {
        List<String> syntaxes = ACCEPTED.get(sopClassUid);
        return syntaxes != null && syntaxes.contains(transferSyntaxUid);
    }

    @Override
    public java.util.LinkedList applyPresentationContextSelectionPolicy(java.util.LinkedList presentationContexts,
                                                                        int associationNumber, int debugLevel) {
        return applyPresentationContextSelectionPolicy(presentationContexts, associationNumber);
    }

    @Override
    public java.util.LinkedList applyPresentationContextSelectionPolicy(java.util.LinkedList presentationContexts,
                                                                        int associationNumber) {
        for (Object o : presentationContexts) {
            PresentationContext pc = (PresentationContext) o;
            List<String> ours = ACCEPTED.get(pc.getAbstractSyntaxUID());
            if (ours == null) {
                pc.setResultReason((byte) 3);
                continue;
            }
            List<?> offered = pc.getTransferSyntaxUIDs();
            String chosen = ours.stream().filter(offered::contains).findFirst().orElse(null);
            pc.newTransferSyntaxUIDs();
            if (chosen == null) {
                pc.setResultReason((byte) 4);
            } else {
                pc.addTransferSyntaxUID(chosen);
                pc.setResultReason((byte) 0);
            }
        }
        return presentationContexts;
    }
}
