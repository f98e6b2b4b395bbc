package org.livernode.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One audit message in the shape of DICOM PS3.15 A.5 (IHE ATNA): EventIdentification, ActiveParticipant,
 * AuditSourceIdentification and ParticipantObjectIdentification, with the schema's element names. Built with
 * set* (required) and opt* / add* (optional) calls, written as one JSON line by {@link AuditTrail}.
 */
public final class AuditEvent {
    /** EventActionCode: Create, Read, Update, Delete, Execute. */
    public enum Action { C, R, U, D, E }

    /** EventOutcomeIndicator: 0 success, 4 minor failure, 8 serious failure. */
    public enum Outcome {
        SUCCESS("0"), MINOR_FAILURE("4"), SERIOUS_FAILURE("8");
        final String code;

        Outcome(String code) {
            this.code = code;
        }
    }

    private AuditCode eventId;
    private Action action = Action.E;
    private Outcome outcome = Outcome.SUCCESS;
    private String outcomeDescription;
    private final List<AuditCode> eventTypes = new ArrayList<>();
    private final List<Map<String, Object>> participants = new ArrayList<>();
    private final List<Map<String, Object>> objects = new ArrayList<>();

    public static AuditEvent of(AuditCode eventId, Action action) {
        AuditEvent e = new AuditEvent();
        e.eventId = eventId;
        e.action = action;
        return e;
    }

    public AuditEvent optType(AuditCode type) {
        eventTypes.add(type);
        return this;
    }

    public AuditEvent optOutcome(Outcome outcome, String description) {
        this.outcome = outcome;
        this.outcomeDescription = description;
        return this;
    }

    /** An ActiveParticipant: a user or AE ({@code userId}), where it came from, whether it asked. */
    public AuditEvent addParticipant(String userId, boolean requestor, String networkAddress, AuditCode role) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("UserID", userId == null ? "" : userId);
        p.put("UserIsRequestor", requestor);
        if (role != null) {
            p.put("RoleIDCode", role.json());
        }
        if (networkAddress != null) {
            p.put("NetworkAccessPointID", networkAddress);
            // 2 = IP address, 1 = machine name (RFC 3881)
            p.put("NetworkAccessPointTypeCode", networkAddress.matches("[0-9.:a-fA-F]+") ? "2" : "1");
        }
        participants.add(p);
        return this;
    }

    /** The last participant's UserName (e.g. the subject of the certificate it authenticated with); none when null. */
    public AuditEvent optParticipantName(String name) {
        if (name != null && !participants.isEmpty()) {
            participants.get(participants.size() - 1).put("UserName", name);
        }
        return this;
    }

    /** The patient the event concerns (only events that need it: transfers, exports, accesses). */
    public AuditEvent addPatient(String patientId, String patientName) {
        if (patientId == null || patientId.isBlank()) {
            return this;
        }
        Map<String, Object> o = object("1", "1", AuditCode.PATIENT_NUMBER, patientId);
        if (patientName != null && !patientName.isBlank()) {
            o.put("ParticipantObjectName", patientName);
        }
        objects.add(o);
        return this;
    }

    /** A study, with how many instances the event moved (ParticipantObjectDescription, DICOM's own use). */
    public AuditEvent addStudy(String studyUid, Integer instances) {
        if (studyUid == null) {
            return this;
        }
        Map<String, Object> o = object("2", "3", AuditCode.STUDY_INSTANCE_UID, studyUid);
        if (instances != null) {
            o.put("ParticipantObjectDescription", Map.of("NumberOfInstances", instances));
        }
        objects.add(o);
        return this;
    }

    /** A query: the request (a QIDO URL, or a DIMSE query's keys) as ParticipantObjectQuery. */
    public AuditEvent addQuery(String request) {
        Map<String, Object> o = object("2", "24", AuditCode.URI, request);
        o.put("ParticipantObjectQuery", request);
        objects.add(o);
        return this;
    }

    /** A security object, e.g. a user whose roles changed or a setting (role 13 security resource). */
    public AuditEvent addSecurityObject(String id, String detail) {
        Map<String, Object> o = object("2", "13", AuditCode.USER_IDENTIFIER, id);
        if (detail != null) {
            o.put("ParticipantObjectDetail", detail);
        }
        objects.add(o);
        return this;
    }

    private static Map<String, Object> object(String type, String role, AuditCode idType, String id) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("ParticipantObjectTypeCode", type);
        o.put("ParticipantObjectTypeCodeRole", role);
        o.put("ParticipantObjectIDTypeCode", idType.json());
        o.put("ParticipantObjectID", id);
        return o;
    }

    Map<String, Object> json(String auditSourceId, Instant at) {
        Map<String, Object> ident = new LinkedHashMap<>();
        ident.put("EventID", eventId.json());
        ident.put("EventActionCode", action.name());
        ident.put("EventDateTime", at.toString());
        ident.put("EventOutcomeIndicator", outcome.code);
        if (outcomeDescription != null) {
            ident.put("EventOutcomeDescription", outcomeDescription);
        }
        if (!eventTypes.isEmpty()) {
            ident.put("EventTypeCode", eventTypes.stream().map(AuditCode::json).toList());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("EventIdentification", ident);
        m.put("ActiveParticipant", participants);
        // AuditSourceTypeCode 4: application server process
        m.put("AuditSourceIdentification", Map.of("AuditSourceID", auditSourceId, "AuditSourceTypeCode", "4"));
        if (!objects.isEmpty()) {
            m.put("ParticipantObjectIdentification", objects);
        }
        return m;
    }
}
