package org.livernode.testing;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.PresentationContext;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedList;

/**
 * Test-only C-STORE SCU that sends exactly the bytes it is given, which dcmtk refuses to do: a data set
 * whose own UIDs are empty (the command's come from the file meta header), a truncated data set, or half
 * a data set followed by an A-ABORT.
 */
public final class TestStoreScu implements AutoCloseable {
    public record Response(int status, String errorComment) {
    }

    private final Association association;
    private final byte pcid;

    public TestStoreScu(int port, String calledAe, String sopClassUid, String transferSyntaxUid) throws Exception {
        LinkedList<PresentationContext> contexts = new LinkedList<>();
        contexts.add(new PresentationContext((byte) 1, sopClassUid, transferSyntaxUid));
        association = AssociationFactory.createNewAssociation("127.0.0.1", port, calledAe, "TESTSCU", contexts, null, false);
        pcid = association.getSuitablePresentationContextID(sopClassUid, transferSyntaxUid);
    }

    /** The data set of a Part 10 file: what follows the File Meta Information group. */
    public static byte[] dataSetOf(Path part10) throws Exception {
        byte[] all = Files.readAllBytes(part10);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        // 128-byte preamble, "DICM", then (0002,0000) UL: 4 tag + 2 VR + 2 length + 4 value.
        int groupLength = b.getInt(132 + 8);
        int start = 132 + 12 + groupLength;
        return Arrays.copyOfRange(all, start, all.length);
    }

    public Response store(String sopClassUid, String sopInstanceUid, byte[] dataSet) throws Exception {
        StatusHandler handler = new StatusHandler();
        association.setReceivedDataHandler(handler);
        association.send(pcid, new CStoreRequestCommandMessage(sopClassUid, sopInstanceUid).getBytes(), dataSet);
        association.waitForCommandPDataPDUs();
        return new Response(handler.status, handler.comment);
    }

    /** Sends the command and {@code bytes} of data set fragments (never the last one), then aborts. */
    public void storeHalfThenAbort(String sopClassUid, String sopInstanceUid, byte[] dataSet, int bytes) throws Exception {
        association.send(pcid, new CStoreRequestCommandMessage(sopClassUid, sopInstanceUid).getBytes(), null);
        OutputStream out = association.getAssociationOutputStream(pcid);
        out.write(dataSet, 0, bytes);
        out.flush();
        Thread.sleep(300);
        association.abort();
    }

    @Override
    public void close() throws Exception {
        association.release();
    }

    private static final class StatusHandler extends CompositeResponseHandler {
        int status = -1;
        String comment;

        @Override
        protected void evaluateStatusAndSetSuccess(AttributeList list) {
            status = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Status, -1);
            String c = Attribute.getSingleStringValueOrNull(list, TagFromName.ErrorComment);
            comment = c == null ? null : c.trim();
            success = status == 0;
        }
    }
}
