package org.livernode.dicom;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.store.InstanceStore;
import org.livernode.testing.NodeTestResources;
import org.livernode.testing.TestCtSeries;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a crash leaves behind, put there by hand: a whole file in studies/ the index never heard of (killed
 * between the rename and the commit), a half one (a power cut without fsync), and a dead process's half-received
 * file in incoming/. The start of the node indexes the first, moves the second to rejected/ and removes the third.
 */
@QuarkusTest
@WithTestResource(NodeTestResources.class)
class StoreReconciliationTest {
    @Inject
    StoreReconciliation reconciliation;
    @Inject
    InstanceStore store;

    @TempDir
    Path temp;

    @Test
    void unindexedFilesAreIndexedOrRejectedAndDeadIncomingFoldersRemoved() throws Exception {
        TestCtSeries ct = TestCtSeries.write(temp, 2, 32);
        Path whole = store.pathOf(ct.studyUid, ct.seriesUid, ct.sopInstanceUids.get(0));
        Path half = store.pathOf(ct.studyUid, ct.seriesUid, ct.sopInstanceUids.get(1));
        Files.createDirectories(whole.getParent());
        Files.copy(ct.files.get(0), whole);
        byte[] bytes = Files.readAllBytes(ct.files.get(1));
        Files.write(half, Arrays.copyOf(bytes, bytes.length / 2));

        Path dead = store.incomingDir().getParent().resolve("p999999-deadbeef");
        Files.createDirectories(dead);
        Files.createFile(dead.resolve(".lock"));
        Files.write(dead.resolve("assoc7-1.part"), new byte[100]);
        Path ownPart = Files.write(store.incomingDir().resolve("assoc8-live.part"), new byte[100]);

        StoreReconciliation.Counts counts = reconciliation.run();
        assertEquals(new StoreReconciliation.Counts(1, 1), counts);
        JsonPath series = given().get("/api/series/" + ct.seriesUid).then().statusCode(200).extract().jsonPath();
        assertEquals(1, series.getInt("instanceCount"));
        assertEquals(ct.sopInstanceUids.get(0), series.getString("instances[0].sopInstanceUid"));
        assertFalse(Files.exists(half), "the half file left studies/");
        try (Stream<Path> rejected = Files.list(store.rejectedDir())) {
            assertTrue(rejected.anyMatch(p -> p.getFileName().toString().contains(ct.sopInstanceUids.get(1))), "the half file is kept in rejected/");
        }
        assertEquals(new StoreReconciliation.Counts(0, 0), reconciliation.run(), "a second pass finds nothing");

        assertEquals(1, store.sweepIncoming());
        assertFalse(Files.exists(dead), "the dead process's folder is gone");
        assertTrue(Files.exists(ownPart), "this process's own files in incoming/ are left alone");
        Files.delete(ownPart);
    }
}
