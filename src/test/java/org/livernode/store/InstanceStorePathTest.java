package org.livernode.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** UIDs name folders and files: only syntactically valid ones may, so none can leave the store. */
class InstanceStorePathTest {
    @TempDir
    Path data;

    @Test
    void pathsStayInsideTheStore() {
        InstanceStore store = new InstanceStore(data);
        Path p = store.pathOf("1.2.3", "1.2.3.4", "1.2.3.4.5");
        assertEquals(data.toAbsolutePath().resolve("studies/1.2.3/1.2.3.4/1.2.3.4.5.dcm"), p);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.pathOf("1.2.3", "..", "1.2.3.4.5"));
        assertTrue(e.getMessage().contains("Series Instance UID") && e.getMessage().contains("'..'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.pathOf("", "1.2", "1.3"));
        assertThrows(IllegalArgumentException.class, () -> store.resolve("../outside.dcm"));
    }
}
