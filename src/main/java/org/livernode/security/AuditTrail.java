package org.livernode.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import jakarta.transaction.Transactional;
import org.hibernate.Session;
import org.livernode.config.LivernodeConfig;
import org.livernode.store.Study;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collection;

/**
 * The audit trail: one JSON line per security-relevant event ({@link AuditEvent}, the shape of DICOM PS3.15 A.5),
 * appended to {@code livernode.audit.file} (default {@code DATA/audit/audit.jsonl}); the node never rewrites it.
 * Patient identifiers appear here, for the events that need them, and never in the ordinary log.
 */
@ApplicationScoped
public class AuditTrail {
    private static final Logger LOG = Logger.getLogger(AuditTrail.class);

    @Inject
    LivernodeConfig config;
    @Inject
    ObjectMapper json;
    @Inject
    Session session;

    private FileChannel channel;

    public Path file() {
        return config.audit().file().orElse(config.dataDir().resolve("audit").resolve("audit.jsonl"));
    }

    /** Appends the event as one line (one write, so lines of several replicas on one file do not interleave). */
    public synchronized void record(AuditEvent event) {
        try {
            byte[] line = (json.writeValueAsString(event.json(config.dicom().aeTitle(), Instant.now())) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            if (channel == null || !channel.isOpen()) {
                Path f = file();
                Files.createDirectories(f.toAbsolutePath().getParent());
                channel = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            LOG.errorf("audit trail %s: cannot write an event: %s", file(), e.getMessage());
        }
    }

    /** The Patient ID of a received study (null when unknown), for events about that study. */
    @Transactional
    public String patientIdOf(String studyUid) {
        Study study = session.find(Study.class, studyUid);
        return study == null ? null : study.patientId;
    }

    public void login(String user, String from, String mechanism, boolean success) {
        record(AuditEvent.of(AuditCode.USER_AUTHENTICATION, AuditEvent.Action.E).optType(AuditCode.LOGIN)
                .optOutcome(success ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.MINOR_FAILURE,
                        success ? mechanism + " login" : mechanism + " login failed: wrong user name or password")
                .addParticipant(user, true, from, null));
    }

    public void userChanged(String by, String user, Collection<String> roles) {
        record(AuditEvent.of(AuditCode.SECURITY_ALERT, AuditEvent.Action.E).optType(AuditCode.USER_SECURITY_ATTRIBUTES_CHANGED)
                .addParticipant(by, true, null, null).addSecurityObject(user, roles == null ? "deleted" : "roles " + String.join(",", roles)));
    }

    /**
     * Instances stored from a DICOM peer (AE title and address; over TLS, {@code tlsPeer} is its certificate's
     * subject, the participant's UserName) or an HTTP user.
     */
    public void received(String sender, String from, String tlsPeer, String studyUid, String patientId, int instances,
                         boolean success) {
        record(AuditEvent.of(AuditCode.INSTANCES_TRANSFERRED, AuditEvent.Action.C)
                .optOutcome(success ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.MINOR_FAILURE, null)
                .addParticipant(sender, true, from, AuditCode.SOURCE).optParticipantName(tlsPeer)
                .addParticipant(config.dicom().aeTitle(), false, null, AuditCode.DESTINATION)
                .addStudy(studyUid, instances < 0 ? null : instances).addPatient(patientId, null));
    }

    public void query(String user, String from, String request) {
        record(AuditEvent.of(AuditCode.QUERY, AuditEvent.Action.E).addParticipant(user, true, from, null)
                .addParticipant(config.dicom().aeTitle(), false, null, AuditCode.SOURCE).addQuery(request));
    }

    /** A retrieval (WADO-RS, the viewer) of a study's instances by a user. */
    public void retrieved(String user, String from, String studyUid, String patientId, String request) {
        record(AuditEvent.of(AuditCode.INSTANCES_TRANSFERRED, AuditEvent.Action.R)
                .addParticipant(config.dicom().aeTitle(), false, null, AuditCode.SOURCE)
                .addParticipant(user, true, from, AuditCode.DESTINATION)
                .addStudy(studyUid, null).addPatient(patientId, null).addQuery(request));
    }

    /** Results of a job (SEG, SR, overlay images) sent to a destination AE, successfully or not; how many arrived. */
    public void exported(String destination, String address, String studyUid, String patientId, int delivered,
                         boolean success, String error) {
        record(AuditEvent.of(AuditCode.EXPORT, AuditEvent.Action.R)
                .optOutcome(success ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.SERIOUS_FAILURE, error)
                .addParticipant(config.dicom().aeTitle(), true, null, AuditCode.SOURCE)
                .addParticipant(destination, false, address, AuditCode.DESTINATION)
                .addStudy(studyUid, delivered).addPatient(patientId, null));
    }

    /** A caller refused by an access rule (DICOM allow-list, STOW from a host not allowed, TLS without a trusted certificate). */
    public void refused(String caller, String from, String rule) {
        record(AuditEvent.of(AuditCode.SECURITY_ALERT, AuditEvent.Action.E).optType(AuditCode.NODE_AUTHENTICATION)
                .optOutcome(AuditEvent.Outcome.MINOR_FAILURE, rule).addParticipant(caller, true, from, null));
    }

    /** An admin's action (e.g. a resend of a job's results) with its outcome: Security Alert, Use of Restricted Function. */
    public void restrictedFunction(String user, String from, String what, boolean success) {
        record(AuditEvent.of(AuditCode.SECURITY_ALERT, AuditEvent.Action.E).optType(AuditCode.USE_OF_RESTRICTED_FUNCTION)
                .optOutcome(success ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.MINOR_FAILURE, what)
                .addParticipant(user, true, from, null));
    }

    /** A change of the node's configuration or model made through the node (by a user, or at start). */
    public void configurationChanged(String by, String what) {
        record(AuditEvent.of(AuditCode.APPLICATION_ACTIVITY, AuditEvent.Action.E).optType(AuditCode.SOFTWARE_CONFIGURATION)
                .addParticipant(by, true, null, null).addSecurityObject(what, null));
    }
}
