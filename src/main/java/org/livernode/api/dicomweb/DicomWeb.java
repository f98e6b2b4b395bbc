package org.livernode.api.dicomweb;

import jakarta.ws.rs.core.UriInfo;
import org.livernode.api.ProblemException;

/** Media types and URLs shared by the DICOMweb resources. */
final class DicomWeb {
    static final String DICOM_JSON = "application/dicom+json";
    static final String DICOM = "application/dicom";
    static final String OCTET_STREAM = "application/octet-stream";
    static final String MULTIPART_RELATED = "multipart/related";

    private DicomWeb() {
    }

    /** The service root as the client addressed it, e.g. {@code http://host:8080/dicom-web}. */
    static String base(UriInfo uri) {
        String b = uri.getBaseUri().toString();
        return (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/dicom-web";
    }

    static ProblemException notAcceptable(String accept, String offered) {
        return new ProblemException(406, "urn:livernode:problem:not-acceptable", "Not Acceptable",
                "Accept '" + accept + "' names no representation offered here; offered: " + offered);
    }

    static ProblemException unsupportedMediaType(String contentType, String expected) {
        return new ProblemException(415, "urn:livernode:problem:unsupported-media-type", "Unsupported Media Type",
                "Content-Type must be " + expected + ", found '" + contentType + "'");
    }
}
