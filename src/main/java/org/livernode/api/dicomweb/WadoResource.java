package org.livernode.api.dicomweb;

import org.livernode.dicom.vocabulary.TransferSyntaxes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import org.livernode.api.ProblemException;
import org.livernode.store.Instance;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * WADO-RS (PS3.18 10.4): metadata as DICOM JSON (Pixel Data and large binaries as BulkDataURI), instances
 * as multipart/related Part 10 files exactly as stored, frames and Pixel Data bulk data as multipart/related
 * octet streams, native little endian (decoded when stored compressed) or as stored on request.
 */
@Path("/dicom-web")
@Transactional
public class WadoResource {
    private static final String PIXEL_DATA = "7FE00010";

    @Inject
    StoredObjects stored;
    @Context
    UriInfo uri;

    @GET
    @Path("/studies/{study}/metadata")
    @Produces({DicomWeb.DICOM_JSON, "application/json"})
    public Response studyMetadata(@PathParam("study") String study, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return metadata(accept, stored.selected(study, null, null));
    }

    @GET
    @Path("/studies/{study}/series/{series}/metadata")
    @Produces({DicomWeb.DICOM_JSON, "application/json"})
    public Response seriesMetadata(@PathParam("study") String study, @PathParam("series") String series,
                                   @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return metadata(accept, stored.selected(study, series, null));
    }

    @GET
    @Path("/studies/{study}/series/{series}/instances/{instance}/metadata")
    @Produces({DicomWeb.DICOM_JSON, "application/json"})
    public Response instanceMetadata(@PathParam("study") String study, @PathParam("series") String series,
                                     @PathParam("instance") String instance, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return metadata(accept, stored.selected(study, series, instance));
    }

    @GET
    @Path("/studies/{study}")
    public Response study(@PathParam("study") String study, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return instances(accept, stored.selected(study, null, null));
    }

    @GET
    @Path("/studies/{study}/series/{series}")
    public Response series(@PathParam("study") String study, @PathParam("series") String series,
                           @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return instances(accept, stored.selected(study, series, null));
    }

    @GET
    @Path("/studies/{study}/series/{series}/instances/{instance}")
    public Response instance(@PathParam("study") String study, @PathParam("series") String series,
                             @PathParam("instance") String instance, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return instances(accept, stored.selected(study, series, instance));
    }

    @GET
    @Path("/studies/{study}/series/{series}/instances/{instance}/frames/{frames}")
    public Response frames(@PathParam("study") String study, @PathParam("series") String series,
                           @PathParam("instance") String instance, @PathParam("frames") String frameList,
                           @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        Instance i = stored.instance(study, series, instance);
        RetrievalChoice choice = pixelChoice(accept, i);
        PixelFrames frames = readFrames(i, choice);
        String[] list = frameList.split(",");
        int[] numbers = new int[list.length];
        for (int k = 0; k < list.length; k++) {
            try {
                numbers[k] = Integer.parseInt(list[k].trim());
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("frame numbers must be whole numbers separated by commas, found '" + frameList + "'");
            }
            if (numbers[k] < 1 || numbers[k] > frames.count()) {
                throw new ProblemException(404, "urn:livernode:problem:not-found", "Frame not found",
                        "frame " + numbers[k] + " does not exist: instance " + instance + " has " + frames.count() + " frame(s)");
            }
        }
        return multipart(choice, frames.parts(numbers));
    }

    @GET
    @Path("/studies/{study}/series/{series}/instances/{instance}/bulkdata/{tag}")
    public Response bulkData(@PathParam("study") String study, @PathParam("series") String series,
                             @PathParam("instance") String instance, @PathParam("tag") String tag,
                             @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        Instance i = stored.instance(study, series, instance);
        if (PIXEL_DATA.equalsIgnoreCase(tag)) {
            RetrievalChoice choice = pixelChoice(accept, i);
            return multipart(choice, readFrames(i, choice).parts());
        }
        RetrievalChoice choice = RetrievalChoice.forPixels(accept, TransferSyntaxes.EXPLICIT_VR_LE);
        if (choice == null) {
            throw DicomWeb.notAcceptable(accept, "multipart/related; type=\"application/octet-stream\"");
        }
        Attribute a = stored.full(i).get(QidoQuery.tag(tag));
        if (a == null) {
            throw new ProblemException(404, "urn:livernode:problem:not-found", "Bulk data not found",
                    "instance " + instance + " has no attribute " + tag);
        }
        try {
            return multipart(choice, List.of(BinaryValue.bytes(a)));
        } catch (DicomException e) {
            throw ProblemException.badRequest("attribute " + tag + " has no binary value: " + e.getMessage());
        }
    }

    private Response metadata(String accept, List<Instance> instances) {
        boolean json = MediaRange.accept(accept).stream()
                .anyMatch(r -> r.covers(DicomWeb.DICOM_JSON) || r.covers("application/json"));
        if (!json) {
            throw DicomWeb.notAcceptable(accept, DicomWeb.DICOM_JSON);
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Instance i : instances) {
            out.add(metadataOf(i));
        }
        return Response.ok(out).type(DicomWeb.DICOM_JSON).build();
    }

    private ObjectNode metadataOf(Instance i) {
        AttributeList header = stored.header(i);
        String series = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.SeriesInstanceUID).trim();
        String study = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.StudyInstanceUID).trim();
        String instanceUrl = DicomWeb.base(uri) + "/studies/" + study + "/series/" + series + "/instances/" + i.sopInstanceUid;
        ObjectNode o = DicomJson.of(header, tag -> instanceUrl + "/bulkdata/" + DicomJson.key(tag));
        int bits = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.BitsAllocated, 16);
        ObjectNode pixels = o.putObject(PIXEL_DATA);
        pixels.put("vr", TransferSyntax.isEncapsulated(i.transferSyntaxUid) || bits <= 8 ? "OB" : "OW");
        pixels.put("BulkDataURI", instanceUrl + "/bulkdata/" + PIXEL_DATA);
        o.set(DicomJson.key(DicomWebTags.AVAILABLE_TRANSFER_SYNTAX_UID),
                DicomJson.element("UI", List.of(i.transferSyntaxUid)));
        return DicomJson.sorted(o);
    }

    private Response instances(String accept, List<Instance> instances) {
        String storedTs = instances.get(0).transferSyntaxUid;
        String offered = "multipart/related; type=\"application/dicom\" (transfer-syntax=* or the stored one)";
        RetrievalChoice choice = null;
        for (Instance i : instances) {
            choice = RetrievalChoice.forInstances(accept, i.transferSyntaxUid);
            if (choice == null) {
                throw DicomWeb.notAcceptable(accept, offered + ", stored here as " + storedTs);
            }
        }
        List<java.nio.file.Path> files = instances.stream().map(stored::file).toList();
        if (choice.singlePart()) {
            if (files.size() != 1) {
                throw DicomWeb.notAcceptable(accept, offered + "; a single part holds one instance, "
                        + files.size() + " are selected");
            }
            java.nio.file.Path f = files.get(0);
            return Response.ok((StreamingOutput) out -> Files.copy(f, out)).header(HttpHeaders.CONTENT_TYPE, DicomWeb.DICOM).build();
        }
        String boundary = MultipartRelated.newBoundary();
        StreamingOutput body = out -> {
            for (java.nio.file.Path f : files) {
                MultipartRelated.openPart(out, boundary, DicomWeb.DICOM, null);
                Files.copy(f, out);
                MultipartRelated.closePart(out);
            }
            MultipartRelated.close(out, boundary);
        };
        return Response.ok(body).header(HttpHeaders.CONTENT_TYPE,
                DicomWeb.MULTIPART_RELATED + "; type=\"" + DicomWeb.DICOM + "\"; boundary=" + boundary).build();
    }

    private static RetrievalChoice pixelChoice(String accept, Instance i) {
        RetrievalChoice choice = RetrievalChoice.forPixels(accept, i.transferSyntaxUid);
        if (choice == null) {
            throw DicomWeb.notAcceptable(accept, "multipart/related; type=\"application/octet-stream\" with no "
                    + "transfer-syntax, " + TransferSyntaxes.EXPLICIT_VR_LE + ", * or the stored " + i.transferSyntaxUid);
        }
        return choice;
    }

    private PixelFrames readFrames(Instance i, RetrievalChoice choice) {
        try {
            return PixelFrames.read(stored.file(i), i.transferSyntaxUid, choice.asStored());
        } catch (IOException | DicomException | RuntimeException e) {
            throw new ProblemException(500, "urn:livernode:problem:pixel-data", "Cannot read Pixel Data",
                    "instance " + i.sopInstanceUid + " (" + i.transferSyntaxUid + "): " + e.getMessage());
        }
    }

    private static Response multipart(RetrievalChoice choice, List<byte[]> parts) {
        if (choice.singlePart()) {
            if (parts.size() != 1) {
                throw DicomWeb.notAcceptable("application/octet-stream", "multipart/related; type=\"application/octet-stream\""
                        + " for " + parts.size() + " parts; a single part holds one frame");
            }
            return Response.ok(parts.get(0)).header(HttpHeaders.CONTENT_TYPE, choice.partContentType()).build();
        }
        String boundary = MultipartRelated.newBoundary();
        StreamingOutput body = out -> {
            for (byte[] p : parts) {
                MultipartRelated.openPart(out, boundary, choice.partContentType(), null);
                out.write(p);
                MultipartRelated.closePart(out);
            }
            MultipartRelated.close(out, boundary);
        };
        return Response.ok(body).header(HttpHeaders.CONTENT_TYPE, DicomWeb.MULTIPART_RELATED + "; type=\""
                + choice.partType() + "\"; boundary=" + boundary).build();
    }
}
