package org.livernode.dicom.seg;

import org.livernode.dicom.attributes.Attributes;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.livernode.dicom.vocabulary.TransferSyntaxes;

import java.util.List;
import java.util.Map;

/**
 * Lossy Image Compression of the SEG (PS3.3 C.8.20.2: "01" when any source image has undergone lossy compression),
 * with Ratio and Method where known. A source is lossy when its Lossy Image Compression says "01" or its transfer
 * syntax may lose information ({@link TransferSyntaxes#isLossy}); the first lossy source gives ratio and method (its
 * own attributes when valid, else the method its transfer syntax names; the ratio is left out when unknown).
 *
 * @param ratio  Lossy Image Compression Ratio values (DS), empty when unknown or not lossy
 * @param method Lossy Image Compression Method values (CS), empty when unknown or not lossy
 */
record LossyCompression(boolean lossy, String[] ratio, String[] method) {

    private static final Map<String, String> METHOD_OF_TRANSFER_SYNTAX = Map.of(
            TransferSyntaxes.JPEG_BASELINE, "ISO_10918_1",
            TransferSyntaxes.JPEG_EXTENDED, "ISO_10918_1",
            TransferSyntaxes.JPEG_LS_NEAR_LOSSLESS, "ISO_14495_1",
            TransferSyntaxes.JPEG2000, "ISO_15444_1");

    static LossyCompression of(List<AttributeList> sources) {
        for (AttributeList source : sources) {
            String ts = Attributes.string(source, TagFromName.TransferSyntaxUID);
            boolean saysLossy = "01".equals(Attributes.string(source, TagFromName.LossyImageCompression));
            if (!saysLossy && (ts == null || !TransferSyntaxes.isLossy(ts))) {
                continue;
            }
            String[] ratio = values(source, TagFromName.LossyImageCompressionRatio);
            String[] method = values(source, TagFromName.LossyImageCompressionMethod);
            if (method.length == 0 && METHOD_OF_TRANSFER_SYNTAX.containsKey(ts)) {
                method = new String[] {METHOD_OF_TRANSFER_SYNTAX.get(ts)};
            }
            return new LossyCompression(true, ratio, method);
        }
        return new LossyCompression(false, new String[0], new String[0]);
    }

    /** "01" or "00". */
    String value() {
        return lossy ? "01" : "00";
    }

    void addTo(AttributeList seg) {
        Attributes.put(seg, TagFromName.LossyImageCompression, value());
        if (ratio.length > 0) {
            Attributes.put(seg, TagFromName.LossyImageCompressionRatio, ratio);
        }
        if (method.length > 0) {
            Attributes.put(seg, TagFromName.LossyImageCompressionMethod, method);
        }
    }

    private static String[] values(AttributeList source, com.pixelmed.dicom.AttributeTag tag) {
        com.pixelmed.dicom.Attribute a = CopiedAttributes.valid(source, tag);
        if (a == null) {
            return new String[0];
        }
        try {
            return a.getStringValues();
        } catch (com.pixelmed.dicom.DicomException e) {
            return new String[0];
        }
    }
}
