package org.livernode.dicom;

import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.dicom.vocabulary.TransferSyntaxes;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which presentation contexts the node accepts: CT Image Storage, Enhanced CT Image Storage, Segmentation Storage,
 * Label Map Segmentation Storage and Secondary Capture Image Storage in uncompressed little endian, JPEG Lossless (Process 14 and SV1), JPEG 2000
 * (lossless and lossy), RLE, JPEG-LS (lossless and near-lossless) and JPEG baseline and extended (lossless first
 * when an SCU offers several; what is stored is kept as it came and decoded by {@code dicom.codec.PixelDecoding}); Enhanced, Comprehensive and Comprehensive 3D SR and Verification in uncompressed
 * little endian. Everything else is refused at
 * negotiation: "abstract syntax not supported" (3) or "transfer syntaxes not supported" (4).
 */
public final class StoragePresentationContextPolicy implements PresentationContextSelectionPolicy {
    /** Storage transfer syntaxes in the order we prefer them when an SCU offers several in one context. */
    public static final List<String> STORAGE_TRANSFER_SYNTAXES = List.of(TransferSyntaxes.EXPLICIT_VR_LE, TransferSyntaxes.IMPLICIT_VR_LE,
            TransferSyntaxes.JPEG_LOSSLESS_SV1, TransferSyntaxes.JPEG_LOSSLESS_P14, TransferSyntaxes.JPEG2000_LOSSLESS, TransferSyntaxes.RLE_LOSSLESS, TransferSyntaxes.JPEG_LS_LOSSLESS,
            TransferSyntaxes.JPEG2000, TransferSyntaxes.JPEG_LS_NEAR_LOSSLESS, TransferSyntaxes.JPEG_EXTENDED,
            TransferSyntaxes.JPEG_BASELINE);
    private static final List<String> UNCOMPRESSED = List.of(TransferSyntaxes.EXPLICIT_VR_LE, TransferSyntaxes.IMPLICIT_VR_LE);

    private static final Map<String, List<String>> ACCEPTED = new LinkedHashMap<>();

    static {
        ACCEPTED.put(SopClasses.VERIFICATION, UNCOMPRESSED);
        ACCEPTED.put(SopClasses.CT_IMAGE_STORAGE, STORAGE_TRANSFER_SYNTAXES);
        ACCEPTED.put(SopClasses.ENHANCED_CT_IMAGE_STORAGE, STORAGE_TRANSFER_SYNTAXES);
        ACCEPTED.put(SopClasses.SEGMENTATION_STORAGE, STORAGE_TRANSFER_SYNTAXES);
        // A radiologist's correction as OHIF stores it (issue 16); measured against the node's SEG.
        ACCEPTED.put(SopClasses.LABEL_MAP_SEGMENTATION_STORAGE, STORAGE_TRANSFER_SYNTAXES);
        // Reports and Secondary Capture: what the node writes besides the SEG (issue 15) and peers send alike.
        ACCEPTED.put(SopClasses.ENHANCED_SR_STORAGE, UNCOMPRESSED);
        ACCEPTED.put(SopClasses.COMPREHENSIVE_SR_STORAGE, UNCOMPRESSED);
        ACCEPTED.put(SopClasses.COMPREHENSIVE_3D_SR_STORAGE, UNCOMPRESSED);
        ACCEPTED.put(SopClasses.SECONDARY_CAPTURE_IMAGE_STORAGE, STORAGE_TRANSFER_SYNTAXES);
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
