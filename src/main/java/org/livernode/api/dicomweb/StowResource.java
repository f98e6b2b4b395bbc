package org.livernode.api.dicomweb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.livernode.api.ProblemException;
import org.livernode.dicom.DimseStatus;
import org.livernode.dicom.InstanceReceiver;
import org.livernode.dicom.StoreOutcome;
import org.livernode.store.DiskFloor;
import org.livernode.store.InstanceStore;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * STOW-RS (PS3.18 10.5): Part 10 instances in a multipart/related; type="application/dicom" body go through
 * the same checks, store, index and series completion as C-STORE ({@link InstanceReceiver#storeUpload}).
 * The answer lists stored instances in ReferencedSOPSequence and refused ones in FailedSOPSequence with the
 * DIMSE failure code as FailureReason: 200 all stored, 202 some, 409 none. Below the disk floor nothing is written:
 * 507 before the body is read, A700 for a part when the floor is reached while reading. A part header beyond the
 * reader's bounds is a 400 problem, answered without reading further.
 */
@Path("/dicom-web")
public class StowResource {
    private static final Logger LOG = Logger.getLogger(StowResource.class);
    private static final String ORIGIN = "STOW-RS";

    @Inject
    InstanceReceiver receiver;
    @Inject
    InstanceStore store;
    @Inject
    DiskFloor diskFloor;
    @Inject
    StowAccess access;
    @Context
    UriInfo uri;
    @Context
    HttpServerRequest request;

    @POST
    @Path("/studies")
    @Consumes(MediaType.WILDCARD)
    @Produces({DicomWeb.DICOM_JSON, "application/json"})
    public Response store(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
        return receive(contentType, body, null);
    }

    @POST
    @Path("/studies/{study}")
    @Consumes(MediaType.WILDCARD)
    @Produces({DicomWeb.DICOM_JSON, "application/json"})
    public Response storeInStudy(@PathParam("study") String study, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                 InputStream body) throws IOException {
        return receive(contentType, body, study);
    }

    private Response receive(String contentType, InputStream body, String requiredStudy) throws IOException {
        MediaRange type = MediaRange.parse(contentType == null ? "" : contentType);
        String partType = type.parameter("type");
        String expected = "multipart/related; type=\"application/dicom\"; boundary=...";
        if (!type.type().equals(DicomWeb.MULTIPART_RELATED) || (partType != null && !partType.equalsIgnoreCase(DicomWeb.DICOM))) {
            throw DicomWeb.unsupportedMediaType(contentType, expected);
        }
        String boundary = type.parameter("boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw ProblemException.badRequest("Content-Type has no boundary parameter: '" + contentType + "'");
        }
        Optional<String> full = diskFloor.refusal(0);
        if (full.isPresent()) {
            LOG.warnf("%s: refused before reading the body: %s", ORIGIN, full.get());
            throw new ProblemException(507, "urn:livernode:problem:insufficient-storage", "Insufficient storage",
                    full.get() + "; nothing of this request was stored or kept");
        }
        String host = request == null || request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        access.requireAllowed(host);
        List<StoreOutcome> outcomes = new ArrayList<>();
        try {
            MultipartRelated.Reader reader = new MultipartRelated.Reader(new BufferedInputStream(body, 1 << 16), boundary);
            for (Map<String, String> headers = reader.nextPart(); headers != null; headers = reader.nextPart()) {
                outcomes.add(storePart(reader, headers, host, requiredStudy));
            }
        } catch (MultipartRelated.MalformedException e) {
            long stored = outcomes.stream().filter(StoreOutcome::isStored).count();
            LOG.warnf("%s %s: malformed multipart body after %d part(s): %s", ORIGIN, host, outcomes.size(), e.getMessage());
            throw ProblemException.badRequest("the multipart/related body is malformed: " + e.getMessage() + "; read no "
                    + "further (" + stored + " part(s) before it stored)");
        }
        if (outcomes.isEmpty()) {
            throw ProblemException.badRequest("the multipart/related body holds no part");
        }
        return answer(outcomes, requiredStudy);
    }

    private StoreOutcome storePart(MultipartRelated.Reader reader, Map<String, String> headers, String host,
                                   String requiredStudy) throws IOException {
        Optional<String> full = diskFloor.refusal(0);
        if (full.isPresent()) { // read past the part, write nothing of it
            reader.copyBody(OutputStream.nullOutputStream());
            return new StoreOutcome(DimseStatus.failure(DimseStatus.OUT_OF_RESOURCES, full.get()), null, null, null, null);
        }
        java.nio.file.Path temp = Files.createTempFile(store.incomingDir(), "stow-", ".part");
        boolean complete;
        FloorGuardedOutput guarded;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
            guarded = new FloorGuardedOutput(out, diskFloor);
            complete = reader.copyBody(guarded);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (guarded.refusal().isPresent()) {
            Files.deleteIfExists(temp);
            return new StoreOutcome(DimseStatus.failure(DimseStatus.OUT_OF_RESOURCES, guarded.refusal().get()
                    + " while this part was written; it was not kept"), null, null, null, null);
        }
        String partType = headers.get("content-type");
        if (!complete || (partType != null && !MediaRange.parse(partType).type().equals(DicomWeb.DICOM))) {
            Files.deleteIfExists(temp);
            String why = !complete ? "the body ended inside this part (no closing boundary)"
                    : "part Content-Type must be application/dicom, found '" + partType + "'";
            return new StoreOutcome(DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND, why), null, null, null, null);
        }
        return receiver.storeUpload(temp, ORIGIN, host, requiredStudy);
    }

    private Response answer(List<StoreOutcome> outcomes, String requiredStudy) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ArrayNode referenced = json.arrayNode();
        ArrayNode failed = json.arrayNode();
        String base = DicomWeb.base(uri);
        String study = requiredStudy;
        List<String> warnings = new ArrayList<>();
        for (StoreOutcome o : outcomes) {
            ObjectNode item = json.objectNode();
            item.set(DicomJson.key(DicomWebTags.REFERENCED_SOP_CLASS_UID), uid(o.sopClassUid()));
            item.set(DicomJson.key(DicomWebTags.REFERENCED_SOP_INSTANCE_UID), uid(o.sopInstanceUid()));
            if (o.isStored()) {
                study = study == null ? o.studyUid() : study;
                item.set(DicomJson.key(DicomWebTags.RETRIEVE_URL), DicomJson.element("UR", List.of(base + "/studies/"
                        + o.studyUid() + "/series/" + o.seriesUid() + "/instances/" + o.sopInstanceUid())));
                referenced.add(DicomJson.sorted(item));
            } else {
                item.set(DicomJson.key(DicomWebTags.FAILURE_REASON),
                        DicomJson.element("US", List.of(Integer.toString(o.status().code()))));
                failed.add(DicomJson.sorted(item));
                warnings.add(o.status().toString());
            }
        }
        ObjectNode response = json.objectNode();
        if (study != null) {
            response.set(DicomJson.key(DicomWebTags.RETRIEVE_URL), DicomJson.element("UR", List.of(base + "/studies/" + study)));
        }
        if (!failed.isEmpty()) {
            response.set(DicomJson.key(DicomWebTags.FAILED_SOP_SEQUENCE), sequence(failed));
        }
        if (!referenced.isEmpty()) {
            response.set(DicomJson.key(DicomWebTags.REFERENCED_SOP_SEQUENCE), sequence(referenced));
        }
        int status = failed.isEmpty() ? 200 : referenced.isEmpty() ? 409 : 202;
        LOG.infof("%s: %s stored %d instance(s), refused %d", study == null ? "(no study)" : study, ORIGIN,
                referenced.size(), failed.size());
        Response.ResponseBuilder b = Response.status(status).entity(response).type(DicomWeb.DICOM_JSON);
        for (String w : warnings) {
            b.header("Warning", "299 livernode \"" + w.replace('"', '\'') + "\"");
        }
        return b.build();
    }

    private static ObjectNode uid(String uid) {
        return DicomJson.element("UI", uid == null || uid.isEmpty() ? List.of() : List.of(uid));
    }

    private static ObjectNode sequence(ArrayNode items) {
        ObjectNode sq = JsonNodeFactory.instance.objectNode();
        sq.put("vr", "SQ");
        sq.set("Value", items);
        return sq;
    }
}
