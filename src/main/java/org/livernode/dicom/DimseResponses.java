package org.livernode.dicom;

import org.livernode.dicom.vocabulary.TransferSyntaxes;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedLongAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Encodes DIMSE response command sets (PS3.7 9.3, implicit VR little endian). PixelMed's own response
 * messages carry no Error Comment, which the node uses to say why it refused an instance.
 */
final class DimseResponses {
    private static final AttributeTag COMMAND_GROUP_LENGTH = new AttributeTag(0x0000, 0x0000);
    private static final int NO_DATA_SET = 0x0101;
    private static final int ERROR_COMMENT_MAX = 64;

    private DimseResponses() {
    }

    /**
     * @param commandField the request's command field; the response sets bit 15 (e.g. C-STORE-RQ 0x0001 ->
     *                     C-STORE-RSP 0x8001)
     */
    static byte[] response(int commandField, String affectedSopClassUid, String affectedSopInstanceUid,
                           int messageId, DimseStatus status) {
        try {
            AttributeList list = new AttributeList();
            if (affectedSopClassUid != null && !affectedSopClassUid.isEmpty()) {
                put(list, new UniqueIdentifierAttribute(TagFromName.AffectedSOPClassUID), affectedSopClassUid);
            }
            putShort(list, TagFromName.CommandField, commandField | 0x8000);
            putShort(list, TagFromName.MessageIDBeingRespondedTo, messageId);
            putShort(list, TagFromName.CommandDataSetType, NO_DATA_SET);
            putShort(list, TagFromName.Status, status.code());
            if (affectedSopInstanceUid != null && !affectedSopInstanceUid.isEmpty()) {
                put(list, new UniqueIdentifierAttribute(TagFromName.AffectedSOPInstanceUID), affectedSopInstanceUid);
            }
            if (status.errorComment() != null && !status.isSuccess()) {
                String comment = status.errorComment().replaceAll("[^\\x20-\\x7e]", "?");
                put(list, new LongStringAttribute(TagFromName.ErrorComment),
                        comment.length() > ERROR_COMMENT_MAX ? comment.substring(0, ERROR_COMMENT_MAX) : comment);
            }
            byte[] body = encode(list);
            Attribute length = new UnsignedLongAttribute(COMMAND_GROUP_LENGTH);
            length.addValue(body.length);
            list.put(length);
            return encode(list);
        } catch (DicomException | IOException e) {
            throw new IllegalStateException("cannot encode a DIMSE response: " + e.getMessage(), e);
        }
    }

    private static void put(AttributeList list, Attribute a, String value) throws DicomException {
        a.addValue(value);
        list.put(a);
    }

    private static void putShort(AttributeList list, AttributeTag tag, int value) throws DicomException {
        Attribute a = new UnsignedShortAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    private static byte[] encode(AttributeList list) throws IOException, DicomException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DicomOutputStream out = new DicomOutputStream(bytes, null, TransferSyntaxes.IMPLICIT_VR_LE);
        list.write(out);
        out.flush();
        return bytes.toByteArray();
    }
}
