package org.livernode.security;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A coded value of the DICOM audit message schema (PS3.15 A.5, PS3.16 CID 400-405): {@code csd-code},
 * {@code codeSystemName}, {@code originalText}, as the schema's attributes are named.
 */
public record AuditCode(String code, String system, String meaning) {
    // Event IDs (CID 400)
    public static final AuditCode INSTANCES_ACCESSED = dcm("110103", "DICOM Instances Accessed");
    public static final AuditCode INSTANCES_TRANSFERRED = dcm("110104", "DICOM Instances Transferred");
    public static final AuditCode EXPORT = dcm("110106", "Export");
    public static final AuditCode QUERY = dcm("110112", "Query");
    public static final AuditCode SECURITY_ALERT = dcm("110113", "Security Alert");
    public static final AuditCode USER_AUTHENTICATION = dcm("110114", "User Authentication");
    public static final AuditCode APPLICATION_ACTIVITY = dcm("110100", "Application Activity");
    // Event type codes (CID 401, 402)
    public static final AuditCode LOGIN = dcm("110122", "Login");
    public static final AuditCode NODE_AUTHENTICATION = dcm("110126", "Node Authentication");
    public static final AuditCode SECURITY_CONFIGURATION = dcm("110129", "Security Configuration");
    public static final AuditCode SOFTWARE_CONFIGURATION = dcm("110131", "Software Configuration");
    public static final AuditCode USE_OF_RESTRICTED_FUNCTION = dcm("110132", "Use of Restricted Function");
    public static final AuditCode USER_SECURITY_ATTRIBUTES_CHANGED = dcm("110137", "User Security Attributes Changed");
    // Active participant roles (CID 402)
    public static final AuditCode APPLICATION = dcm("110150", "Application");
    public static final AuditCode DESTINATION = dcm("110152", "Destination Role ID");
    public static final AuditCode SOURCE = dcm("110153", "Source Role ID");
    // Participant object ID types (CID 404) and RFC 3881's own
    public static final AuditCode STUDY_INSTANCE_UID = dcm("110180", "Study Instance UID");
    public static final AuditCode SOP_CLASS_UID = dcm("110181", "SOP Class UID");
    public static final AuditCode NODE_ID = dcm("110182", "Node ID");
    public static final AuditCode PATIENT_NUMBER = new AuditCode("2", "RFC-3881", "Patient Number");
    public static final AuditCode USER_IDENTIFIER = new AuditCode("11", "RFC-3881", "User Identifier");
    public static final AuditCode URI = new AuditCode("12", "RFC-3881", "URI");

    private static AuditCode dcm(String code, String meaning) {
        return new AuditCode(code, "DCM", meaning);
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("csd-code", code);
        m.put("codeSystemName", system);
        m.put("originalText", meaning);
        return m;
    }
}
