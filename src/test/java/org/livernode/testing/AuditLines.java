package org.livernode.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Test-only: reads the audit trail's JSON lines (security.AuditTrail) and the fields the tests look at. */
public final class AuditLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditLines() {
    }

    public static List<JsonNode> events(Path file, Predicate<JsonNode> which) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        if (!Files.exists(file)) {
            return found;
        }
        for (String line : Files.readAllLines(file)) {
            JsonNode e = JSON.readTree(line);
            if (which.test(e)) {
                found.add(e);
            }
        }
        return found;
    }

    /**
     * The events once there are {@code count} of them, waiting up to {@code timeout}: a refusal in the TLS handshake
     * is written when the node's side of the handshake ends, which can be after the peer has given up.
     */
    public static List<JsonNode> await(Path file, Predicate<JsonNode> which, int count, java.time.Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> found = events(file, which);
        while (found.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            found = events(file, which);
        }
        return found;
    }

    /** EventID's code, e.g. 110104 Instances Transferred. */
    public static String code(JsonNode e) {
        return e.path("EventIdentification").path("EventID").path("csd-code").asText();
    }

    public static String action(JsonNode e) {
        return e.path("EventIdentification").path("EventActionCode").asText();
    }

    /** The first ActiveParticipant's UserID. */
    public static String userOf(JsonNode e) {
        return e.path("ActiveParticipant").get(0).path("UserID").asText();
    }

    public static String study(JsonNode e) {
        return objectOf(e, "110180");
    }

    public static String patient(JsonNode e) {
        return objectOf(e, "2");
    }

    private static String objectOf(JsonNode e, String idType) {
        for (JsonNode o : e.path("ParticipantObjectIdentification")) {
            if (o.path("ParticipantObjectIDTypeCode").path("csd-code").asText().equals(idType)) {
                return o.path("ParticipantObjectID").asText();
            }
        }
        return "";
    }
}
