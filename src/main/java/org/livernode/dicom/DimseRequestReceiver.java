package org.livernode.dicom;

import org.livernode.dicom.vocabulary.TransferSyntaxes;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.Association;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.MessageServiceElementCommand;
import com.pixelmed.network.PDataPDU;
import com.pixelmed.network.PresentationDataValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Receives one DIMSE request (command set, then the data set if any) from P-DATA PDUs. A C-STORE data
 * set is streamed to the {@link InstanceReception} as it arrives, never held whole in memory.
 * (PixelMed's CompositeResponseHandler is the public way to plug a P-DATA handler into an Association.)
 */
final class DimseRequestReceiver extends CompositeResponseHandler {
    private static final int NO_DATA_SET = 0x0101;

    /** Where a C-STORE's data set goes (its reception) and what then admits it. */
    interface StoreStart {
        InstanceReception begin(int messageId, String sopClassUid, String sopInstanceUid, byte presentationContextId)
                throws IOException;

        DimseStatus admit(InstanceReception received);
    }

    private final StoreStart storeStart;
    private final ByteArrayOutputStream command = new ByteArrayOutputStream();
    private int commandField = -1;
    private int messageId;
    private String affectedSopClassUid;
    private String affectedSopInstanceUid;
    private byte presentationContextId;
    private InstanceReception reception;
    private long bytes;

    DimseRequestReceiver(StoreStart storeStart) {
        this.storeStart = storeStart;
    }

    @Override
    public void sendPDataIndication(PDataPDU pdata, Association association)
            throws DicomNetworkException, DicomException, IOException {
        for (Object o : pdata.getPDVList()) {
            PresentationDataValue pdv = (PresentationDataValue) o;
            presentationContextId = pdv.getPresentationContextID();
            if (pdv.isCommand()) {
                command.write(pdv.getValue());
                if (pdv.isLastFragment()) {
                    commandComplete();
                }
            } else {
                byte[] value = pdv.getValue();
                bytes += value.length;
                if (reception != null) {
                    reception.write(value);
                }
                if (pdv.isLastFragment()) {
                    if (reception != null) {
                        reception.dataComplete();
                    }
                    setDone(true);
                }
            }
        }
    }

    private void commandComplete() throws DicomException, IOException {
        AttributeList list = new AttributeList();
        list.read(new DicomInputStream(new ByteArrayInputStream(command.toByteArray()), TransferSyntaxes.IMPLICIT_VR_LE, false));
        commandField = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.CommandField, -1);
        messageId = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.MessageID, 0);
        affectedSopClassUid = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.AffectedSOPClassUID).trim();
        affectedSopInstanceUid = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.AffectedSOPInstanceUID).trim();
        int dataSetType = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.CommandDataSetType, NO_DATA_SET);
        if (commandField == MessageServiceElementCommand.C_STORE_RQ) {
            reception = storeStart.begin(messageId, affectedSopClassUid, affectedSopInstanceUid, presentationContextId);
        }
        if (dataSetType == NO_DATA_SET) {
            setDone(true);
        }
    }

    @Override
    protected void evaluateStatusAndSetSuccess(AttributeList list) {
        // Not a response handler: requests are evaluated in responseBytes().
    }

    boolean isEcho() {
        return commandField == MessageServiceElementCommand.C_ECHO_RQ;
    }

    boolean isStore() {
        return commandField == MessageServiceElementCommand.C_STORE_RQ;
    }

    int commandField() {
        return commandField;
    }

    byte presentationContextId() {
        return presentationContextId;
    }

    long dataBytes() {
        return bytes;
    }

    /** Finishes the request (stores and indexes a C-STORE) and encodes the response. */
    DimseStatus finish() {
        if (isEcho()) {
            return DimseStatus.success();
        }
        if (isStore()) {
            DimseStatus failed = reception.finish();
            return failed != null ? failed : storeStart.admit(reception);
        }
        return DimseStatus.failure(DimseStatus.UNRECOGNIZED_OPERATION,
                "only C-ECHO and C-STORE are supported, found command 0x" + Integer.toHexString(commandField));
    }

    byte[] responseBytes(DimseStatus status) {
        return DimseResponses.response(commandField, affectedSopClassUid, affectedSopInstanceUid, messageId, status);
    }

    /** The association ended before the request was complete: drop the partial file. */
    void discard() {
        if (reception != null) {
            reception.discard();
        }
    }
}
