package org.livernode.dicom;

import org.livernode.dicom.tls.TlsConnector;
import org.livernode.dicom.vocabulary.RemoteAe;
import org.livernode.dicom.vocabulary.AeTitle;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.MultipleInstanceTransferStatusHandlerWithFileName;
import com.pixelmed.network.PresentationContextListFactory;
import com.pixelmed.network.StorageSOPClassSCU;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

/**
 * C-STORE SCU: sends DICOM files to a {@link RemoteAe} over one Association (one attempt: connection refused,
 * Association rejected or aborted, a failure status or a silent destination each fail the files not yet delivered,
 * with the reason). Files that are not readable DICOM fail without being sent.
 */
public final class DicomSender {

    private static final Logger LOG = LoggerFactory.getLogger(DicomSender.class);

    private final String callingAeTitle;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final TlsConnector tls;

    private DicomSender(Builder b) {
        AeTitle.require("calling AE title", b.callingAeTitle);
        callingAeTitle = b.callingAeTitle;
        if (b.connectTimeout.isNegative() || b.connectTimeout.isZero() || b.responseTimeout.isNegative() || b.responseTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout/responseTimeout: must be > 0, found " + b.connectTimeout
                    + " and " + b.responseTimeout);
        }
        connectTimeout = b.connectTimeout;
        responseTimeout = b.responseTimeout;
        tls = b.tls;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends the files over one Association, bounded by the connect and response timeouts. Retrying later is the
     * caller's business (the job queue's backoff), so a destination that is down never holds a thread asleep.
     */
    public SendResult send(RemoteAe to, List<Path> files) {
        String association = callingAeTitle + "->" + to;
        List<Pending> all = files.stream().map(f -> Pending.inspect(f.toAbsolutePath())).toList();
        List<Pending> batch = all.stream().filter(p -> p.readable).toList();
        if (!batch.isEmpty()) {
            String error = sendOnce(association, to, batch);
            List<Pending> left = batch.stream().filter(p -> !p.delivered).toList();
            if (error != null) {
                left.forEach(p -> p.lastError = error);
            }
            if (left.isEmpty()) {
                LOG.info("{}: {} file(s) delivered", association, batch.size());
            } else {
                LOG.warn("{}: {} delivered, {} not: {}", association, batch.size() - left.size(), left.size(),
                        left.get(0).lastError);
            }
        }
        return new SendResult(to, all.stream().map(Pending::status).toList());
    }

    /** One Association; marks delivered files and returns the association-level error, or null. */
    private String sendOnce(String association, RemoteAe to, List<Pending> batch) {
        SetOfDicomFiles set = new SetOfDicomFiles();
        Map<String, Pending> byName = new LinkedHashMap<>();
        for (Pending p : batch) {
            set.add(p.file.toString(), p.sopClassUid, p.sopInstanceUid, p.transferSyntaxUid);
            byName.put(p.file.toString(), p);
        }
        SendTimeouts timeouts;
        try {
            timeouts = SendTimeouts.open(to, connectTimeout, responseTimeout, tls);
        } catch (SSLException e) {
            return "cannot open association: TLS with " + to + " failed: " + describe(e);
        } catch (IOException e) {
            return "cannot open association: no TCP connection within " + connectTimeout.toMillis() + " ms: " + describe(e);
        }
        try (timeouts) {
            Association a;
            try {
                LinkedList<?> contexts = PresentationContextListFactory.createNewPresentationContextList(set, 0);
                a = AssociationFactory.createNewAssociation("127.0.0.1", timeouts.localPort(), to.aeTitle(), callingAeTitle,
                        contexts, null, false);
            } catch (DicomNetworkException | IOException e) {
                return "cannot open association: " + (timeouts.timedOut() ? noAnswer() : describe(e));
            }
            StatusHandler handler = new StatusHandler(byName);
            StorageSOPClassSCU scu = new StorageSOPClassSCU(a, set, handler);
            try {
                a.release();
            } catch (DicomNetworkException e) {
                LOG.debug("{}: release failed: {}", association, describe(e));
            }
            if (timeouts.timedOut()) {
                return "association cut while sending: " + noAnswer();
            }
            if (scu.encounteredTrappedExceptions()) {
                return "association aborted or failed while sending (A-ABORT or transport error)";
            }
            return null; // per-file failures were recorded by the status handler
        }
    }

    private String noAnswer() {
        return "the destination sent nothing for " + responseTimeout.toMillis() + " ms (livernode.delivery.response-timeout)";
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.trim());
    }

    private static final class StatusHandler extends MultipleInstanceTransferStatusHandlerWithFileName {
        private final Map<String, Pending> byName;

        StatusHandler(Map<String, Pending> byName) {
            this.byName = byName;
        }

        @Override
        public void updateStatus(int remaining, int completed, int failed, int warning, String sopInstanceUid,
                                 String fileName, boolean success) {
            Pending p = byName.get(fileName);
            if (p == null) {
                return;
            }
            if (success) {
                p.delivered = true;
            } else {
                p.lastError = "C-STORE of " + sopInstanceUid + " failed (failure status or transfer error)";
            }
        }
    }

    /** A file to send and what is known of it so far. */
    private static final class Pending {
        final Path file;
        String sopClassUid;
        String sopInstanceUid;
        String transferSyntaxUid;
        boolean readable;
        boolean delivered;
        String lastError;

        private Pending(Path file) {
            this.file = file;
        }

        static Pending inspect(Path file) {
            Pending p = new Pending(file);
            AttributeList list = new AttributeList();
            try {
                list.read(file.toString(), TagFromName.PixelData);
                p.sopClassUid = Attribute.getSingleStringValueOrNull(list, TagFromName.SOPClassUID);
                p.sopInstanceUid = Attribute.getSingleStringValueOrNull(list, TagFromName.SOPInstanceUID);
                p.transferSyntaxUid = Attribute.getSingleStringValueOrNull(list, TagFromName.TransferSyntaxUID);
                p.readable = p.sopClassUid != null && p.sopInstanceUid != null && p.transferSyntaxUid != null;
                if (!p.readable) {
                    p.lastError = "not sendable: SOP Class UID, SOP Instance UID and Transfer Syntax UID (File Meta Information) are required, found "
                            + p.sopClassUid + ", " + p.sopInstanceUid + ", " + p.transferSyntaxUid;
                }
            } catch (IOException | DicomException | RuntimeException e) {
                p.lastError = "not sendable: not a readable DICOM file: " + describe(e);
            }
            return p;
        }

        SendResult.FileStatus status() {
            return new SendResult.FileStatus(file, sopInstanceUid, delivered, delivered ? null : lastError);
        }
    }

    /** Options of a {@link DicomSender}. */
    public static final class Builder {
        private String callingAeTitle = "LIVERNODE";
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration responseTimeout = Duration.ofSeconds(30);
        private TlsConnector tls;

        private Builder() {
        }

        /** Our AE title (Calling AE Title of the Association). */
        public Builder setCallingAeTitle(String aeTitle) {
            this.callingAeTitle = aeTitle;
            return this;
        }

        /** How long the TCP connection to the destination may take. */
        public Builder setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** How long the destination may send nothing while an answer is due (A-ASSOCIATE-AC, C-STORE-RSP). */
        public Builder setResponseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
            return this;
        }

        /** TLS for destinations marked {@code ;tls} (dicom.tls.DicomTls); without it they fail. */
        public Builder setTls(TlsConnector tls) {
            this.tls = tls;
            return this;
        }

        public DicomSender build() {
            return new DicomSender(this);
        }
    }
}
