package org.livernode.api.dicomweb;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.DicomException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * The bytes of an attribute's value as a little endian data set holds them, for InlineBinary, bulk data and
 * Pixel Data: one rule for every VR, so metadata and WADO-RS never disagree.
 */
final class BinaryValue {
    /** VRs of words wider than a byte: PixelMed holds them as numbers, written out little endian. */
    private static final Set<String> WIDE = Set.of("OF", "OD", "OL", "OV");

    private BinaryValue() {
    }

    /**
     * OB and UN as read; OW, OF, OD, OL and OV little endian; any other VR as PixelMed gives its bytes (a
     * DicomException when it has none).
     */
    static byte[] bytes(Attribute a) throws DicomException {
        String vr = a.getVRAsString();
        if ("OW".equals(vr)) {
            // getShortValues, not getByteValues(false): PixelMed's on-disk and multi-file OW classes only have the former.
            short[] words = a.getShortValues();
            if (words == null) {
                return new byte[0];
            }
            ByteBuffer b = ByteBuffer.allocate(words.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            b.asShortBuffer().put(words);
            return b.array();
        }
        return WIDE.contains(vr) ? a.getByteValues(false) : a.getByteValues();
    }
}
