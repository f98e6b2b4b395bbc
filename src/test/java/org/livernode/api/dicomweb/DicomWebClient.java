package org.livernode.api.dicomweb;

import org.livernode.testing.TestUser;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test-only HTTP client for the DICOMweb endpoints: STOW-RS bodies, raw GETs, multipart/related answers. */
final class DicomWebClient {
    record Part(Map<String, String> headers, byte[] body) {
    }

    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    DicomWebClient(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    HttpResponse<byte[]> stow(String path, List<Path> files) throws Exception {
        String boundary = "test-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write("preamble to ignore\r\n".getBytes(StandardCharsets.US_ASCII));
        for (Path f : files) {
            body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.write(Files.readAllBytes(f));
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return post(path, "multipart/related; type=\"application/dicom\"; boundary=" + boundary, body.toByteArray());
    }

    HttpResponse<byte[]> post(String path, String contentType, byte[] body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .header("Authorization", TestUser.AUTHORIZATION)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", TestUser.AUTHORIZATION).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The parts of a multipart/related answer, read with the boundary its Content-Type names. */
    static List<Part> parts(HttpResponse<byte[]> response) throws Exception {
        String contentType = response.headers().firstValue("Content-Type").orElseThrow();
        MediaRange type = MediaRange.parse(contentType);
        if (!type.type().equals("multipart/related")) {
            throw new AssertionError("expected multipart/related, found " + contentType);
        }
        MultipartRelated.Reader reader = new MultipartRelated.Reader(new ByteArrayInputStream(response.body()),
                type.parameter("boundary"));
        List<Part> parts = new ArrayList<>();
        for (Map<String, String> h = reader.nextPart(); h != null; h = reader.nextPart()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!reader.copyBody(out)) {
                throw new AssertionError("part not closed by a boundary");
            }
            parts.add(new Part(h, out.toByteArray()));
        }
        return parts;
    }
}
