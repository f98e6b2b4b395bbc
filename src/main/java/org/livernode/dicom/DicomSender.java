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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

/**
 * C-STORE SCU: sends DICOM files to a {@link RemoteAe} over one Association per attempt. Files not yet delivered
 * (connection refused, Association rejected or aborted, failure status) are sent again after an exponential
 * backoff, up to the configured number of attempts. Files that are not readable DICOM fail at once.
 */
public final class DicomSender {

    private static final Logger LOG = LoggerFactory.getLogger(DicomSender.class);

    private final String callingAeTitle;
    private final int attempts;
    private final Duration initialBackoff;
    private final double backoffMultiplier;
    private final Duration maxBackoff;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final TlsConnector tls;

    private DicomSender(Builder b) {
        AeTitle.require("calling AE title", b.callingAeTitle);
        if (b.attempts < 1) {
            throw new IllegalArgumentException("attempts: must be >= 1, found " + b.attempts);
        }
        if (b.initialBackoff.isNegative() || b.maxBackoff.compareTo(b.initialBackoff) < 0) {
            throw new IllegalArgumentException("initialBackoff/maxBackoff: must satisfy 0 <= initial <= max, found "
                    + b.initialBackoff + " and " + b.maxBackoff);
        }
        if (!(b.backoffMultiplier >= 1.0)) {
            throw new IllegalArgumentException("backoffMultiplier: must be >= 1, found " + b.backoffMultiplier);
        }
        callingAeTitle = b.callingAeTitle;
        attempts = b.attempts;
        initialBackoff = b.initialBackoff;
        backoffMultiplier = b.backoffMultiplier;
        maxBackoff = b.maxBackoff;
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

    /** The wait before attempt n+1 (n starting at 1): initial * multiplier^(n-1), at most maxBackoff. */
    public Duration backoffAfter(int attempt) {
        double millis = initialBackoff.toMillis() * Math.pow(backoffMultiplier, attempt - 1);
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
    }

    /** Sends the files; blocks through the retries. Interrupting the thread stops waiting and returns what is known. */
    public SendResult send(RemoteAe to, List<Path> files) {
        String association = callingAeTitle + "->" + to;
        Map<Path, Pending> state = new LinkedHashMap<>();
        for (Path file : files) {
            state.put(file.toAbsolutePath(), Pending.inspect(file.toAbsolutePath()));
        }
        int attempt = 0;
        while (attempt < attempts && state.values().stream().anyMatch(Pending::toSend)) {
            attempt++;
            List<Pending> batch = state.values().stream().filter(Pending::toSend).toList();
            batch.forEach(p -> p.attempts++);
            String error = sendOnce(association, to, batch);
            long delivered = batch.stream().filter(p -> p.delivered).count();
            List<Pending> left = batch.stream().filter(p -> !p.delivered).toList();
            if (error != null) {
                left.forEach(p -> p.lastError = error);
            }
            if (left.isEmpty()) {
                LOG.info("{} attempt {}/{}: {} file(s) delivered", association, attempt, attempts, delivered);
                break;
            }
            if (attempt == attempts) {
                LOG.warn("{} attempt {}/{}: {} delivered, {} not: {}; giving up", association, attempt, attempts, delivered,
                        left.size(), left.get(0).lastError);
                break;
            }
            Duration wait = backoffAfter(attempt);
            LOG.warn("{} attempt {}/{}: {} delivered, {} not: {}; retrying in {} ms", association, attempt, attempts,
                    delivered, left.size(), left.get(0).lastError, wait.toMillis());
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                left.forEach(p -> p.lastError = p.lastError + " (interrupted before retry)");
                break;
            }
        }
        List<SendResult.FileStatus> statuses = new ArrayList<>();
        state.values().forEach(p -> statuses.add(p.status()));
        return new SendResult(to, statuses, attempt);
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
        int attempts;
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

        boolean toSend() {
            return readable && !delivered;
        }

        SendResult.FileStatus status() {
            return new SendResult.FileStatus(file, sopInstanceUid, delivered, attempts, delivered && attempts == 1 ? null : lastError);
        }
    }

    /** Options of a {@link DicomSender}. */
    public static final class Builder {
        private String callingAeTitle = "LIVERNODE";
        private int attempts = 5;
        private Duration initialBackoff = Duration.ofSeconds(2);
        private double backoffMultiplier = 2.0;
        private Duration maxBackoff = Duration.ofMinutes(1);
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

        /** How many Associations to try in all (1 = no retry). */
        public Builder setAttempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        /** Wait after the first failed attempt; each later wait is multiplied by the backoff multiplier. */
        public Builder setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        public Builder setBackoffMultiplier(double multiplier) {
            this.backoffMultiplier = multiplier;
            return this;
        }

        public Builder setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
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
